#!/usr/bin/env python3
"""scikit-learn's side of `slipstream bench search`: the reference Iris random-forest grid
(examples/iris-random-forest-grid.yaml) with GridSearchCV, printed as one line.

Same experiment as the spec: stratified 80/20 split with seed 42; 108 settings x 5 stratified folds
(540 fits, no shuffle) scored by accuracy; the best setting refit on the training set and scored on
the test set. wall_s times GridSearchCV.fit (540 fits + the refit) and the test scoring; it excludes
the interpreter start, imports and loading Iris.

Output (one line, keys in this order):
  peer=scikit-learn-<version> n_jobs=<n> fits=<n> wall_s=<s> best_cv=<score> test_accuracy=<acc> best_params=<k=v,...>

Run: /usr/bin/python3 jmh/peers/sklearn_grid.py [--n-jobs 2]   (Debian python3-sklearn; see install-peers.sh)
"""
import argparse
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-jobs", type=int, default=2, help="GridSearchCV n_jobs (default 2)")
    args = parser.parse_args()
    try:
        import sklearn
        from sklearn.datasets import load_iris
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import GridSearchCV, train_test_split
    except ImportError as ex:
        print("sklearn_grid: scikit-learn is not installed (%s); run jmh/peers/install-peers.sh" % ex,
              file=sys.stderr)
        return 2

    x, y = load_iris(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, stratify=y, random_state=42)
    grid = {
        "n_estimators": [100, 200, 300],
        "max_depth": [None, 10, 20, 30],
        "min_samples_split": [2, 5, 10],
        "min_samples_leaf": [1, 2, 4],
    }
    search = GridSearchCV(RandomForestClassifier(max_features="sqrt", bootstrap=True, random_state=42),
                          grid, cv=5, scoring="accuracy", n_jobs=args.n_jobs, refit=True)
    start = time.perf_counter()
    search.fit(x_train, y_train)
    test_accuracy = search.score(x_test, y_test)
    wall = time.perf_counter() - start

    fits = len(search.cv_results_["params"]) * search.n_splits_
    params = ",".join("%s=%s" % (k, search.best_params_[k]) for k in sorted(search.best_params_))
    print("peer=scikit-learn-%s n_jobs=%d fits=%d wall_s=%.3f best_cv=%.6f test_accuracy=%.6f best_params=%s"
          % (sklearn.__version__, args.n_jobs, fits, wall, search.best_score_, test_accuracy, params))
    return 0


if __name__ == "__main__":
    sys.exit(main())
