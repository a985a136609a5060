package io.slipstream.trainer.onnx;

/**
 * An ONNX computation graph ({@code GraphProto}) built in order: typed inputs and outputs, constant tensors
 * (initializers) and nodes, which must be added in topological order (each node after the nodes whose outputs it
 * reads), as ONNX requires.
 *
 * <p>Shapes: a dimension given as {@link #BATCH} is written as the symbolic dimension {@code "N"}, so the graph
 * takes any number of rows; every other dimension is fixed.
 */
public final class OnnxGraph
{
    /** {@code TensorProto.DataType.FLOAT}. */
    public static final int FLOAT = 1;
    /** {@code TensorProto.DataType.INT64}. */
    public static final int INT64 = 7;
    /** A dimension that stands for the number of rows, written as the symbolic dimension {@code "N"}. */
    public static final long BATCH = -1;

    // GraphProto, NodeProto, ValueInfoProto, TypeProto, TensorShapeProto and TensorProto fields (onnx.proto).
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int VALUE_NAME = 1;
    private static final int VALUE_TYPE = 2;
    private static final int TYPE_TENSOR = 1;
    private static final int TENSOR_TYPE_ELEM = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_NAME = 8;

    private final ProtoWriter proto = new ProtoWriter();
    private int nodes;

    /** An empty graph called {@code name}. */
    public OnnxGraph(final String name)
    {
        proto.string(GRAPH_NAME, name);
    }

    /** Declares a graph input: a tensor of {@code elemType} ({@link #FLOAT}, {@link #INT64}) and shape {@code dims}. */
    public OnnxGraph input(final String name, final int elemType, final long... dims)
    {
        proto.message(GRAPH_INPUT, valueInfo(name, elemType, dims));
        return this;
    }

    /** Declares a graph output, as {@link #input} does an input. */
    public OnnxGraph output(final String name, final int elemType, final long... dims)
    {
        proto.message(GRAPH_OUTPUT, valueInfo(name, elemType, dims));
        return this;
    }

    /** A constant float tensor of shape {@code dims}, row-major {@code values}. */
    public OnnxGraph initializer(final String name, final float[] values, final long... dims)
    {
        checkElements(name, values.length, dims);
        proto.message(GRAPH_INITIALIZER, new ProtoWriter().packedVarints(TENSOR_DIMS, dims)
            .varint(TENSOR_DATA_TYPE, FLOAT).packedFloats(TENSOR_FLOAT_DATA, values).string(TENSOR_NAME, name));
        return this;
    }

    /** A constant int64 tensor of shape {@code dims}, row-major {@code values}. */
    public OnnxGraph initializer(final String name, final long[] values, final long... dims)
    {
        checkElements(name, values.length, dims);
        proto.message(GRAPH_INITIALIZER, new ProtoWriter().packedVarints(TENSOR_DIMS, dims)
            .varint(TENSOR_DATA_TYPE, INT64).packedVarints(TENSOR_INT64_DATA, values).string(TENSOR_NAME, name));
        return this;
    }

    /**
     * A node running {@code opType} of operator-set {@code domain} ("" for the standard operators,
     * {@code "ai.onnx.ml"} for the classic-ML ones) on the named values {@code inputs}, producing {@code outputs}.
     */
    public OnnxGraph node(final String opType, final String domain, final String[] inputs, final String[] outputs,
        final OnnxAttribute... attributes)
    {
        final ProtoWriter node = new ProtoWriter();
        for (final String in : inputs)
        {
            node.string(NODE_INPUT, in);
        }
        for (final String out : outputs)
        {
            node.string(NODE_OUTPUT, out);
        }
        node.string(NODE_NAME, opType + "_" + nodes++).string(NODE_OP_TYPE, opType);
        if (!domain.isEmpty())
        {
            node.string(NODE_DOMAIN, domain);
        }
        for (final OnnxAttribute a : attributes)
        {
            node.message(NODE_ATTRIBUTE, a.proto());
        }
        proto.message(GRAPH_NODE, node);
        return this;
    }

    ProtoWriter proto()
    {
        return proto;
    }

    private static ProtoWriter valueInfo(final String name, final int elemType, final long[] dims)
    {
        final ProtoWriter shape = new ProtoWriter();
        for (final long d : dims)
        {
            shape.message(SHAPE_DIM, d == BATCH ? new ProtoWriter().string(DIM_PARAM, "N") :
                new ProtoWriter().varint(DIM_VALUE, d));
        }
        final ProtoWriter tensor = new ProtoWriter().varint(TENSOR_TYPE_ELEM, elemType).message(TENSOR_TYPE_SHAPE,
            shape);
        return new ProtoWriter().string(VALUE_NAME, name).message(VALUE_TYPE,
            new ProtoWriter().message(TYPE_TENSOR, tensor));
    }

    private static void checkElements(final String name, final int length, final long[] dims)
    {
        long elements = 1;
        for (final long d : dims)
        {
            if (d < 0)
            {
                throw new IllegalArgumentException("initializer " + name + " has dimension " + d +
                    "; a constant tensor's dimensions are all >= 0");
            }
            elements *= d;
        }
        if (elements != length)
        {
            throw new IllegalArgumentException("initializer " + name + " has " + length + " values for a shape of " +
                elements + " elements");
        }
    }
}
