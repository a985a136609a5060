package io.slipstream.trainer.forest;

import io.slipstream.trainer.data.Dataset;
import io.slipstream.trainer.model.FitContext;
import io.slipstream.trainer.model.RunHooks;
import io.slipstream.trainer.testing.Fits;
import io.slipstream.trainer.testing.Ranks;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ForestOnnxTest
{
    @Test
    void aForestOfOneClassIsRefusedInOneLine()
    {
        final Dataset one = new Dataset(new double[][]{{1}, {2}, {3}}, new int[]{0, 0, 0}, new String[]{"x"},
            new String[]{"only"});
        final RandomForest forest = Fits.fit(new RandomForestFamily(), one, Map.of("n_estimators", 2),
            new FitContext(Ranks.solo(), 1, RunHooks.NONE));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> forest.writeOnnx(new ByteArrayOutputStream()));
        assertEquals("ONNX export needs a forest of two or more classes but this one has 1; fit it on data with " +
            "two or more classes", ex.getMessage());
    }
}
