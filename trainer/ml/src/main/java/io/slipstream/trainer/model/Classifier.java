package io.slipstream.trainer.model;

import io.slipstream.trainer.data.Dataset;

/** A model that predicts classes, with a probability per class. */
public interface Classifier extends Model
{
    /** Class probabilities per row ({@code [rows][numClasses]}). */
    double[][] predictProba(Dataset data);
}
