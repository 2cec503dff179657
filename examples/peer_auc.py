"""The peers' held-out AUC on the rows score_auc.rs split: scikit-learn's
HistGradientBoostingClassifier with its default settings, and L2 logistic regression.

    cargo run --release --example score_auc -- FILE ... --seed N --save /tmp/split
    python3 examples/peer_auc.py /tmp/split

It reads train.csv (the rows `leads learn` learned from, outcome in "Lead Status"),
held_out.csv and held_out_outcomes.csv, so both tools see exactly the same rows. A column
is a number when 95% of its filled cells parse as one; other columns are categories
(native categorical splits when they have at most 255 values, as the classifier requires;
ordinal codes beyond that).
"""
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer

split = sys.argv[1]
train = pd.read_csv(f"{split}/train.csv", dtype=str, keep_default_na=False)
test = pd.read_csv(f"{split}/held_out.csv", dtype=str, keep_default_na=False)
outcomes = pd.read_csv(f"{split}/held_out_outcomes.csv", dtype={"external_id": str})
y_train = (train.pop("Lead Status") == "won").astype(int).to_numpy()
won = dict(zip(outcomes.external_id, outcomes.won))
y_test = test.external_id.map(won).to_numpy()
features = [c for c in test.columns if c != "external_id"]

numbers, categories = [], []
for column in features:
    filled = train[column][train[column] != ""]
    parsed = pd.to_numeric(filled, errors="coerce")
    (numbers if len(filled) and parsed.notna().mean() >= 0.95 else categories).append(column)


def frame(rows, levels):
    out = pd.DataFrame(index=rows.index)
    for column in numbers:
        out[column] = pd.to_numeric(rows[column].replace("", np.nan), errors="coerce")
    for column in categories:
        out[column] = pd.Categorical(rows[column], categories=levels[column])
        if len(levels[column]) > 255:
            out[column] = out[column].cat.codes.astype(float)
    return out


levels = {c: sorted(set(train[c])) for c in categories}
x_train, x_test = frame(train, levels), frame(test, levels)
native = [c for c in categories if len(levels[c]) <= 255]
hgb = HistGradientBoostingClassifier(categorical_features=native or None, random_state=0)
hgb.fit(x_train, y_train)
hgb_auc = roc_auc_score(y_test, hgb.predict_proba(x_test)[:, 1])

linear = make_pipeline(
    ColumnTransformer([
        ("n", make_pipeline(SimpleImputer(), StandardScaler()), numbers),
        ("c", OneHotEncoder(handle_unknown="ignore", min_frequency=5), categories),
    ]),
    LogisticRegression(max_iter=2000),
)
linear.fit(train[features].replace("", np.nan).assign(
    **{c: pd.to_numeric(train[c].replace("", np.nan), errors="coerce") for c in numbers}), y_train)
lr_auc = roc_auc_score(y_test, linear.predict_proba(test[features].replace("", np.nan).assign(
    **{c: pd.to_numeric(test[c].replace("", np.nan), errors="coerce") for c in numbers}))[:, 1])
print(f"held-out AUC: HistGradientBoosting {hgb_auc:.3f}  logistic regression {lr_auc:.3f}  "
      f"({len(train)} rows to learn from, {len(test)} held out)")
