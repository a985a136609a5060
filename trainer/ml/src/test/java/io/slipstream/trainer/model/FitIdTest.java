package io.slipstream.trainer.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FitIdTest
{
    @Test
    void labelsCountFromOneAsPeopleDo()
    {
        assertEquals("[setting 12/108 fold 3/5]", FitId.cv(11, 108, 2, 5).label());
        assertEquals("[refit]", FitId.refitOf(11, 108).label());
        assertEquals("", FitId.SINGLE.label());
    }

    @Test
    void fitsThatDoNotExistAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> FitId.cv(108, 108, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> FitId.cv(0, 108, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> new FitId(0, 2, 1, 5, true));
    }
}
