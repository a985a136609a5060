package io.slipstream.trainer.dl4j;

import io.slipstream.comm.Comm;
import io.slipstream.comm.Communicator;
import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.data.Iris;
import io.slipstream.trainer.model.DataShape;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.model.UserInputException;
import io.slipstream.trainer.testing.Fits;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DL4J families' parameter checks: what a job spec gets told before anything trains. */
class NetworkParamsTest
{
    @Test
    void badParametersAreNamed()
    {
        final Communicator self = Comm.self();
        final Dataset iris = Iris.load();
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> Fits.fit(new LogisticRegressionFamily(), iris, Map.of("hidden_layers", 3), new FitContext(self, 1, RunHooks.NONE)));
        assertTrue(unknown.getMessage().contains("logistic_regression has no parameter 'hidden_layers'"), unknown.getMessage());
        final IllegalArgumentException activation = assertThrows(IllegalArgumentException.class,
            () -> Fits.fit(new MlpFamily(), iris, Map.of("activation", "swish"), new FitContext(self, 1, RunHooks.NONE)));
        assertTrue(activation.getMessage().contains("mlp.activation is swish; use one of relu"), activation.getMessage());
    }

    @Test
    void hiddenLayersMustBeAListAndBatchesMustFitTheData()
    {
        final MlpFamily mlp = new MlpFamily();
        final DataShape iris = DataShape.of(Iris.load());
        final IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
            () -> mlp.parameters(Map.of("hidden_layers", 16), iris));
        assertEquals("mlp.hidden_layers must be a list of layer widths, e.g. [16] for one layer, got 16",
            scalar.getMessage());
        assertEquals(2, mlp.parameters(Map.of("hidden_layers", java.util.List.of(16, 8)), iris).hiddenLayers().length);

        final IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
            () -> mlp.parameters(Map.of("batch_size", 151), iris));
        assertEquals("mlp.batch_size 151 exceeds the 150 training rows; use at most 150, or 0 for each rank's whole " +
            "shard", batch.getMessage());
        mlp.parameters(Map.of("batch_size", 150), iris);
        mlp.parameters(Map.of("batch_size", 0), iris);
        // A fold trains on fewer rows than the data set: the fit refuses there too, as bad input.
        final Dataset few = Iris.load().subset(new int[]{0, 1, 50, 51, 100, 101});
        final NetworkParams p = mlp.parameters(Map.of("batch_size", 100, "epochs", 1), iris);
        assertThrows(UserInputException.class,
            () -> mlp.fit(few, p, new FitContext(Comm.self(), 1, RunHooks.NONE)));
    }
}
