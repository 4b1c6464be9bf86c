"""Writes the expected values of tests/NetGen.Tests/Data/NumericCsvSklearnFileTests.cs.

iris.csv, wine_data.csv and breast_cancer.csv are scikit-learn 1.2.1's own files, copied unchanged from
sklearn/datasets/data/. Each starts with one metadata line (rows, columns, class names). This script reads them with
scikit-learn's loaders (numpy, not NetGen) and writes what NetGen must read from them: the shape, the first and last
rows, the column means and the class names. It also writes two files derived from iris for the label-column and
missing-value tests, with their expected values:

  iris_species.csv      a header and the species as names, rows in reverse order (virginica first);
  iris_species_test.csv every fifth row of iris (rows 0, 5, 10, ...), the species as names;
  iris_missing.csv      iris with a fixed set of cells emptied or written NA, for the column means of what is left.

Run with /usr/bin/python3 from this directory; the tests need no Python.
"""

import json

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_iris, load_wine

out = {"sklearn": sklearn.__version__}

for name, loader, file in [
    ("iris", load_iris, "iris.csv"),
    ("wine", load_wine, "wine_data.csv"),
    ("breast_cancer", load_breast_cancer, "breast_cancer.csv"),
]:
    bunch = loader()
    x, y = bunch.data, bunch.target
    out[name] = {
        "file": file,
        "rows": int(x.shape[0]),
        "features": int(x.shape[1]),
        "first": [float(v) for v in x[0]],
        "last": [float(v) for v in x[-1]],
        "means": [float(v) for v in x.mean(axis=0)],
        "target_first": int(y[0]),
        "target_last": int(y[-1]),
        "target_counts": [int(c) for c in np.bincount(y)],
        "target_names": [str(n) for n in bunch.target_names],
    }

iris = load_iris()
names = [str(iris.target_names[t]) for t in iris.target]
header = "sepal_length,sepal_width,petal_length,petal_width,species"


def row(i):
    return ",".join(repr(float(v)) for v in iris.data[i]) + "," + names[i]


order = list(range(len(names)))[::-1]
with open("iris_species.csv", "w", newline="\n") as f:
    f.write(header + "\n")
    for i in order:
        f.write(row(i) + "\n")

classes = sorted(set(names))  # ordinal sort of ASCII names
test_rows = list(range(0, len(names), 5))
with open("iris_species_test.csv", "w", newline="\n") as f:
    f.write(header + "\n")
    for i in test_rows:
        f.write(row(i) + "\n")

out["iris_species"] = {
    "class_names": classes,
    "labels": [classes.index(names[i]) for i in order],
    "first_appearance": list(dict.fromkeys(names[i] for i in order)),
    "first_row": [float(v) for v in iris.data[order[0]]],
}
out["iris_species_test"] = {
    "labels": [classes.index(names[i]) for i in test_rows],
    "rows": len(test_rows),
}

rng = np.random.default_rng(20240611)
data = iris.data.copy()
holes = sorted({(int(r), int(c)) for r, c in zip(rng.integers(0, 150, 40), rng.integers(0, 4, 40))})
marks = {}
for k, (r, c) in enumerate(holes):
    marks[(r, c)] = "" if k % 2 == 0 else "NA"
with open("iris_missing.csv", "w", newline="\n") as f:
    f.write("sepal_length,sepal_width,petal_length,petal_width,target\n")
    for r in range(150):
        cells = [marks.get((r, c), repr(float(data[r, c]))) for c in range(4)]
        f.write(",".join(cells) + "," + str(int(iris.target[r])) + "\n")
masked = data.copy()
for r, c in holes:
    masked[r, c] = np.nan
first_hole = holes[0]
out["iris_missing"] = {
    "holes": [[r, c] for r, c in holes],
    "means": [float(v) for v in np.nanmean(masked, axis=0)],
    # 1-based physical line (the header is line 1, data row r is line r + 2) and column of the first hole.
    "first_hole_line": first_hole[0] + 2,
    "first_hole_column": first_hole[1] + 1,
    "first_hole_text": marks[first_hole],
}

with open("expected.json", "w", newline="\n") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
