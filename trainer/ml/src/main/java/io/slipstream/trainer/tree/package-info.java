/**
 * CART classification trees: {@link io.slipstream.trainer.tree.TreeGrower} grows them on a presorted
 * {@link io.slipstream.trainer.tree.TrainingMatrix} with scikit-learn's parameter meanings;
 * {@link io.slipstream.trainer.tree.DecisionTree} is the fitted tree in flat arrays with a compact binary
 * encoding.
 */
package io.slipstream.trainer.tree;
