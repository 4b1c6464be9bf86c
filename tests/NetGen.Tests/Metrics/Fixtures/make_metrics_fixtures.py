#!/usr/bin/python3
"""Writes metrics.json: random and edge-case inputs for NetGen.Metrics, with scikit-learn's answers.

The xunit tests (tests/NetGen.Tests/Metrics/) read the committed metrics.json and need no Python. Run this
script again only to change the cases; it is deterministic (numpy RandomState with fixed seeds), so running it
on the same scikit-learn and NumPy gives the same file byte for byte:

    /usr/bin/python3 tests/NetGen.Tests/Metrics/Fixtures/make_metrics_fixtures.py

Every expected value is scikit-learn's (the version is recorded in the file), called as the comments say, except
two that scikit-learn has no function for and that are written out from their definition here: the classes
predicted by a one-output network (probability >= 0.5 means class 1), and the float cases' clipping bound.

Floats: JSON numbers are written with Python's repr, the shortest text that reads back as the same double, so
the tests see exactly the inputs scikit-learn saw. A case marked "float" holds values rounded to float32, which
the tests read as float; scikit-learn is given the same values as float64 (see log_loss_case for its eps).
NaN is written as the string "NaN" (JSON has no NaN).
"""

import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
)

# The undefined cases (0/0 precision, R^2 of one sample, a class in y_pred only) are part of what is tested.
warnings.simplefilter("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))


def number(x):
    x = float(x)
    return "NaN" if np.isnan(x) else x


def values(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def as_float32(a):
    """Rounds to float32 and back: values a float test can hold exactly."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


# ---- Regression: mean_squared_error, its square root, mean_absolute_error, r2_score.


def regression_case(name, targets, predictions, is_float=False):
    targets = np.asarray(targets, dtype=np.float64)
    predictions = np.asarray(predictions, dtype=np.float64)
    if is_float:
        targets, predictions = as_float32(targets), as_float32(predictions)
    outputs = 1 if targets.ndim == 1 else targets.shape[1]
    return {
        "name": name,
        "float": is_float,
        "outputs": outputs,
        "targets": values(targets),
        "predictions": values(predictions),
        # multioutput="uniform_average" (the default): the mean over outputs of each output's value.
        "mse": number(mean_squared_error(targets, predictions)),
        "rmse": number(mean_squared_error(targets, predictions, squared=False)),
        "mae": number(mean_absolute_error(targets, predictions)),
        "r2": number(r2_score(targets, predictions)),
    }


def regression_cases():
    rng = np.random.RandomState(1)
    cases = []
    t = rng.normal(3.0, 2.0, 50)
    cases.append(regression_case("random, one output", t, t + rng.normal(0, 0.7, 50)))
    t = rng.normal(0.0, 1.0, 50)
    cases.append(regression_case("random, one output, float", t, t + rng.normal(0, 0.5, 50), is_float=True))
    t = rng.normal(0.0, [1.0, 10.0, 0.1], (40, 3))
    cases.append(regression_case("random, three outputs", t, t + rng.normal(0, [0.5, 3.0, 0.2], (40, 3))))
    t = rng.uniform(-1, 1, (30, 2))
    cases.append(regression_case("random, two outputs, float", t, t * 0.8 + rng.normal(0, 0.1, (30, 2)), is_float=True))
    t = rng.normal(1e6, 1e3, 25)
    cases.append(regression_case("large values", t, t + rng.normal(0, 50, 25)))
    t = rng.normal(0, 1, 20)
    cases.append(regression_case("worse than the mean: negative R^2", t, -t))
    t = rng.normal(0, 1, 15)
    cases.append(regression_case("perfect predictions", t, t.copy()))
    # Constant targets (2.5 is exact, so the mean is exactly 2.5 and the total sum of squares exactly 0).
    cases.append(regression_case("constant target, imperfect: R^2 is 0", np.full(6, 2.5), [2.5, 2.5, 3.0, 2.5, 2.0, 2.5]))
    cases.append(regression_case("constant target, perfect: R^2 is 1", np.full(6, 2.5), np.full(6, 2.5)))
    t = np.column_stack([rng.normal(0, 1, 10), np.full(10, -1.25)])
    p = np.column_stack([t[:, 0] + rng.normal(0, 0.3, 10), np.full(10, -1.25) + rng.normal(0, 0.1, 10)])
    cases.append(regression_case("two outputs, the second constant", t, p))
    cases.append(regression_case("one sample: R^2 undefined", [1.5], [0.5]))
    cases.append(regression_case("two samples", [1.0, 2.0], [1.5, 1.5]))
    return cases


# ---- Classification from class indices.


def classification_case(name, actual, predicted, classes):
    actual = np.asarray(actual, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    every = list(range(classes))
    case = {
        "name": name,
        "classes": classes,
        "actual": [int(v) for v in actual],
        "predicted": [int(v) for v in predicted],
        "accuracy": number(accuracy_score(actual, predicted)),
        "balanced_accuracy": number(balanced_accuracy_score(actual, predicted)),
        # Rows are actual classes, columns predicted ones, every class listed.
        "confusion": confusion_matrix(actual, predicted, labels=every).tolist(),
        # Per class, every class listed; 0/0 is 0 (zero_division=0).
        "precision": values(precision_score(actual, predicted, labels=every, average=None, zero_division=0)),
        "recall": values(recall_score(actual, predicted, labels=every, average=None, zero_division=0)),
        "f1": values(f1_score(actual, predicted, labels=every, average=None, zero_division=0)),
    }
    # Averages with scikit-learn's default labels: the classes present in actual or predicted.
    for average in ("macro", "micro", "weighted"):
        case[average] = {
            "precision": number(precision_score(actual, predicted, average=average, zero_division=0)),
            "recall": number(recall_score(actual, predicted, average=average, zero_division=0)),
            "f1": number(f1_score(actual, predicted, average=average, zero_division=0)),
        }
    return case


def noisy(rng, actual, classes, share_wrong):
    predicted = actual.copy()
    wrong = rng.uniform(size=len(actual)) < share_wrong
    predicted[wrong] = rng.randint(0, classes, wrong.sum())
    return predicted


def classification_cases():
    rng = np.random.RandomState(2)
    cases = []
    a = rng.randint(0, 3, 60)
    cases.append(classification_case("random, three classes", a, noisy(rng, a, 3, 0.4), 3))
    a = rng.choice(5, 100, p=[0.4, 0.3, 0.15, 0.1, 0.05])
    cases.append(classification_case("random, five imbalanced classes", a, noisy(rng, a, 5, 0.5), 5))
    a = rng.randint(0, 2, 40)
    cases.append(classification_case("random, binary", a, noisy(rng, a, 2, 0.5), 2))
    a = rng.randint(0, 3, 30)
    p = noisy(rng, a, 2, 0.3)
    p[p == 2] = 0
    cases.append(classification_case("a class never predicted", a, p, 3))
    a = rng.randint(0, 2, 30)
    p = noisy(rng, a, 2, 0.2)
    p[:4] = 2
    cases.append(classification_case("a class predicted but never actual", a, p, 3))
    cases.append(classification_case("a single class present, all right", np.zeros(12, int), np.zeros(12, int), 3))
    p = np.zeros(12, int)
    p[[2, 7]] = 1
    cases.append(classification_case("a single class actual, two predicted", np.zeros(12, int), p, 3))
    a = rng.randint(0, 4, 25)
    cases.append(classification_case("perfect predictions", a, a.copy(), 4))
    a = rng.randint(0, 3, 21)
    cases.append(classification_case("all wrong", a, (a + 1) % 3, 3))
    a = rng.randint(0, 3, 40)
    cases.append(classification_case("a class absent from both (four classes, three used)", a, noisy(rng, a, 3, 0.3), 4))
    cases.append(classification_case("one sample", [1], [1], 2))
    return cases


# ---- Probabilities: log_loss, and accuracy / roc_auc_score of the classes and scores a network's outputs give.


def log_loss_case(name, actual, probabilities, is_float=False):
    actual = np.asarray(actual, dtype=np.int64)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if is_float:
        probabilities = as_float32(probabilities)
    outputs = 1 if probabilities.ndim == 1 else probabilities.shape[1]
    classes = 2 if outputs == 1 else outputs
    # eps: scikit-learn's "auto" is the machine epsilon of the array's dtype. The tests give a float case to
    # NetGen as float, so its eps is float32's; these float32 values and clipping bounds are exact in float64.
    eps = float(np.finfo(np.float32 if is_float else np.float64).eps)
    if outputs == 1:
        predicted = (probabilities >= 0.5).astype(np.int64)  # the one-output rule, by definition
    else:
        predicted = probabilities.argmax(axis=1)  # the first of equal largest values, as OneHot.Decode
    case = {
        "name": name,
        "float": is_float,
        "outputs": outputs,
        "actual": [int(v) for v in actual],
        "probabilities": values(probabilities),
        "log_loss": number(log_loss(actual, probabilities, eps=eps, labels=list(range(classes)))),
        "accuracy": number(accuracy_score(actual, predicted)),
    }
    if classes == 2 and len(np.unique(actual)) == 2:
        score = probabilities if outputs == 1 else probabilities[:, 1]
        case["roc_auc"] = number(roc_auc_score(actual, score))
    return case


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def log_loss_cases():
    rng = np.random.RandomState(3)
    cases = []
    a = rng.randint(0, 3, 50)
    z = rng.normal(0, 1.5, (50, 3))
    z[np.arange(50), a] += 1.0
    cases.append(log_loss_case("softmax, three classes", a, softmax(z)))
    cases.append(log_loss_case("softmax, three classes, float", a, softmax(z), is_float=True))
    a = rng.randint(0, 4, 30)
    p = softmax(rng.normal(0, 3, (30, 4)))
    p[:5] = 0.0
    p[np.arange(5), a[:5]] = 1.0  # certain and right: clipped to 1 - eps
    p[5:8] = 0.0
    p[np.arange(5, 8), (a[5:8] + 1) % 4] = 1.0  # certain and wrong: clipped to eps
    cases.append(log_loss_case("zeros and ones clipped", a, p))
    cases.append(log_loss_case("zeros and ones clipped, float", a, p, is_float=True))
    a = rng.randint(0, 2, 40)
    q = 1 / (1 + np.exp(-(rng.normal(0, 1.5, 40) + 1.5 * (2 * a - 1))))
    cases.append(log_loss_case("sigmoid, one output", a, q))
    cases.append(log_loss_case("sigmoid, one output, float", a, q, is_float=True))
    q2 = q.copy()
    q2[:3] = [0.0, 1.0, 0.5]
    cases.append(log_loss_case("sigmoid, one output, 0, 1 and exactly 0.5", a, q2))
    cases.append(log_loss_case("softmax, two outputs", a, np.column_stack([1 - q, q])))
    a = np.zeros(8, int)
    cases.append(log_loss_case("a single class present", a, softmax(rng.normal(0, 1, (8, 3)))))
    a = rng.randint(0, 3, 10)
    cases.append(log_loss_case("perfect and certain", a, np.eye(3)[a]))
    a = rng.randint(0, 3, 12)
    p = softmax(rng.normal(0, 1, (12, 3)))
    p[:4] = [0.4, 0.4, 0.2]  # a tie for the largest: the first wins
    cases.append(log_loss_case("ties for the largest probability", a, p))
    return cases


# ---- roc_auc_score of binary labels and scores.


def auc_case(name, actual, scores, is_float=False):
    scores = np.asarray(scores, dtype=np.float64)
    if is_float:
        scores = as_float32(scores)
    actual = np.asarray(actual, dtype=np.int64)
    return {
        "name": name,
        "float": is_float,
        "actual": [int(v) for v in actual],
        "scores": values(scores),
        "roc_auc": number(roc_auc_score(actual, scores)),
    }


def auc_cases():
    rng = np.random.RandomState(4)
    cases = []
    a = rng.randint(0, 2, 80)
    s = rng.normal(0, 1, 80) + a
    cases.append(auc_case("random", a, s))
    cases.append(auc_case("random, float", a, s, is_float=True))
    a = rng.randint(0, 2, 60)
    cases.append(auc_case("many ties", a, np.round(rng.uniform(0, 1, 60) + 0.3 * a, 1)))
    cases.append(auc_case("ties across the classes only", [0, 1, 0, 1, 0, 1], [0.2, 0.2, 0.5, 0.5, 0.9, 0.9]))
    cases.append(auc_case("all scores tied", a, np.full(60, 0.25)))
    a = np.array([0] * 10 + [1] * 5)
    cases.append(auc_case("perfect separation", a, np.concatenate([rng.uniform(0, 0.5, 10), rng.uniform(0.6, 1, 5)])))
    cases.append(auc_case("perfectly inverted", a, np.concatenate([rng.uniform(0.6, 1, 10), rng.uniform(0, 0.5, 5)])))
    a = (rng.uniform(size=200) < 0.05).astype(int)
    a[0] = 1
    cases.append(auc_case("imbalanced", a, rng.normal(0, 1, 200) + 2 * a))
    cases.append(auc_case("negative zero ties positive zero", [0, 1, 0, 1], [-0.0, 0.0, -1.0, 1.0]))
    cases.append(auc_case("two samples", [1, 0], [0.3, 0.7]))
    return cases


def main():
    fixtures = {
        "generator": "tests/NetGen.Tests/Metrics/Fixtures/make_metrics_fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "regression": regression_cases(),
        "classification": classification_cases(),
        "log_loss": log_loss_cases(),
        "roc_auc": auc_cases(),
    }
    path = os.path.join(HERE, "metrics.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(fixtures, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
