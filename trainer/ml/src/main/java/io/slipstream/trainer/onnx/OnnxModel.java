package io.slipstream.trainer.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An ONNX model file ({@code ModelProto}): IR version {@value #IR_VERSION}, the operator sets the graph uses, the
 * graph, and string metadata ({@code metadata_props}, which ONNX Runtime shows as the model's custom metadata).
 * {@link #writeTo} writes the protobuf bytes a {@code .onnx} file holds.
 */
public final class OnnxModel
{
    /** The ONNX IR version written (that of ONNX 1.11, which introduced {@code ai.onnx.ml} opset 3). */
    public static final long IR_VERSION = 8;
    /** The producer name the file carries. */
    public static final String PRODUCER = "slipstream";

    // ModelProto, OperatorSetIdProto and StringStringEntryProto fields (onnx.proto).
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_DOC_STRING = 6;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    private final OnnxGraph graph;
    private final String doc;
    private final Map<String, Long> opsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** A model around {@code graph}, described by {@code doc} (the file's {@code doc_string}). */
    public OnnxModel(final OnnxGraph graph, final String doc)
    {
        this.graph = graph;
        this.doc = doc;
    }

    /** Imports operator set {@code domain} ("" for the standard one) at {@code version}. */
    public OnnxModel opset(final String domain, final long version)
    {
        opsets.put(domain, version);
        return this;
    }

    /** Adds (or replaces) the metadata entry {@code key}. */
    public OnnxModel metadata(final String key, final String value)
    {
        metadata.put(key, value);
        return this;
    }

    /** The model's protobuf bytes. */
    public byte[] toBytes()
    {
        return proto().toByteArray();
    }

    /** Writes the model's protobuf bytes to {@code out}, left open. */
    public void writeTo(final OutputStream out) throws IOException
    {
        proto().writeTo(out);
    }

    /** {@code values} as a JSON array of strings, as metadata values that list names are written. */
    public static String jsonStrings(final String[] values)
    {
        final StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++)
        {
            out.append(i == 0 ? "\"" : ", \"");
            for (int k = 0; k < values[i].length(); k++)
            {
                final char c = values[i].charAt(k);
                if (c == '"' || c == '\\')
                {
                    out.append('\\').append(c);
                }
                else if (c < 0x20)
                {
                    out.append(String.format("\\u%04x", (int)c));
                }
                else
                {
                    out.append(c);
                }
            }
            out.append('"');
        }
        return out.append(']').toString();
    }

    private ProtoWriter proto()
    {
        if (opsets.isEmpty())
        {
            throw new IllegalStateException("an ONNX model must import at least one operator set");
        }
        final ProtoWriter model = new ProtoWriter().varint(MODEL_IR_VERSION, IR_VERSION)
            .string(MODEL_PRODUCER_NAME, PRODUCER).string(MODEL_DOC_STRING, doc).message(MODEL_GRAPH, graph.proto());
        for (final Map.Entry<String, Long> opset : opsets.entrySet())
        {
            final ProtoWriter id = new ProtoWriter();
            if (!opset.getKey().isEmpty())
            {
                id.string(OPSET_DOMAIN, opset.getKey());
            }
            model.message(MODEL_OPSET_IMPORT, id.varint(OPSET_VERSION, opset.getValue()));
        }
        for (final Map.Entry<String, String> entry : metadata.entrySet())
        {
            model.message(MODEL_METADATA_PROPS, new ProtoWriter().string(ENTRY_KEY, entry.getKey())
                .string(ENTRY_VALUE, entry.getValue()));
        }
        return model;
    }
}
