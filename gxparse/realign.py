"""The realigner: a scikit-learn classifier over row candidates, and its plain-data artifact.

:class:`RealignClassifier` is a scikit-learn estimator (standardisation + logistic regression)
that gives each row candidate the probability of being the correct placement. It is fitted by
``gxparse train`` on annotated reports and synthetic renderings of gold grids, and saved as JSON
(means, scales, coefficients: no pickle). :func:`load_model` loads the released artifact shipped
inside the package, once per process, or a path given by the caller or ``$GXPARSE_MODEL``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from gxparse.errors import ModelIncompatibleError, ModelNotFoundError, NotFittedError
from gxparse.features import FEATURE_NAMES, FEATURE_SET_HASH

MODEL_FORMAT = 1
RETRAIN_HINT = "retrain it with: gxparse train training_data -o models/realign && cp models/realign/realign.json gxparse/_model/"


class RealignClassifier(ClassifierMixin, BaseEstimator):
    """Probability that a row candidate is the right placement (scikit-learn estimator API).

    Parameters
    ----------
    C:
        Inverse regularisation strength of the logistic regression.
    class_weight:
        Passed to :class:`~sklearn.linear_model.LogisticRegression`.
    random_state:
        Seed, for reproducible fits.
    """

    def __init__(self, C: float = 1.0, class_weight: str | None = None, random_state: int = 0) -> None:
        self.C = C
        self.class_weight = class_weight
        self.random_state = random_state

    def fit(self, X: NDArray[np.float64], y: NDArray[np.int_]) -> RealignClassifier:
        """Fit the scaler and the logistic regression; return ``self``."""
        X = np.asarray(X, dtype=float)
        self.classes_, y_idx = np.unique(np.asarray(y), return_inverse=True)
        self.scaler_ = StandardScaler().fit(X)
        self.lr_ = LogisticRegression(C=self.C, class_weight=self.class_weight, random_state=self.random_state,
                                      max_iter=2000).fit(self.scaler_.transform(X), y_idx)
        return self

    def decision_function(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return the log-odds that each candidate is correct."""
        if not hasattr(self, "lr_"):
            raise NotFittedError("RealignClassifier is not fitted; call fit() or load a model first")
        # the fitted linear map, applied directly: sklearn's input validation costs more than the maths here
        Z = (np.asarray(X, dtype=float) - self.scaler_.mean_) / self.scaler_.scale_
        return np.asarray(Z @ self.lr_.coef_[0] + self.lr_.intercept_[0], dtype=float)

    def predict_proba(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Return ``[P(wrong), P(right)]`` per candidate; rows sum to 1."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: NDArray[np.float64]) -> NDArray[Any]:
        """Return the predicted class per candidate."""
        return np.asarray(self.classes_)[(self.decision_function(X) > 0).astype(int)]

    def to_dict(self) -> dict[str, Any]:
        """Return the fitted parameters as plain data (JSON-serialisable)."""
        if not hasattr(self, "lr_"):
            raise NotFittedError("cannot serialise an unfitted RealignClassifier")
        return {"params": self.get_params(), "classes": self.classes_.tolist(),
                "mean": self.scaler_.mean_.tolist(), "scale": self.scaler_.scale_.tolist(),
                "coef": self.lr_.coef_.tolist(), "intercept": self.lr_.intercept_.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RealignClassifier:
        """Rebuild a fitted classifier from :meth:`to_dict` output."""
        model = cls(**data["params"])
        model.classes_ = np.asarray(data["classes"])
        model.scaler_ = StandardScaler()
        model.scaler_.mean_ = np.asarray(data["mean"], dtype=float)
        model.scaler_.scale_ = np.asarray(data["scale"], dtype=float)
        model.scaler_.var_ = model.scaler_.scale_ ** 2
        model.scaler_.n_features_in_ = len(model.scaler_.mean_)
        model.lr_ = LogisticRegression(**{k: v for k, v in {"C": model.C, "class_weight": model.class_weight,
                                                              "random_state": model.random_state}.items()})
        model.lr_.classes_ = np.arange(len(model.classes_))
        model.lr_.coef_ = np.asarray(data["coef"], dtype=float)
        model.lr_.intercept_ = np.asarray(data["intercept"], dtype=float)
        model.lr_.n_features_in_ = model.lr_.coef_.shape[1]
        return model


class RealignModel:
    """A fitted :class:`RealignClassifier` plus the metadata of its artifact."""

    def __init__(self, classifier: RealignClassifier, meta: dict[str, Any]) -> None:
        self.classifier = classifier
        self.meta = meta

    @property
    def version(self) -> str:
        """The model's version string (``name@created``)."""
        return f"{self.meta.get('name', 'realign')}@{self.meta.get('created', '?')}"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the artifact as one JSON file (a directory gets ``realign.json``); return its path."""
        target = Path(path)
        if target.suffix != ".json":
            target.mkdir(parents=True, exist_ok=True)
            target = target / "realign.json"
        data = {"format": MODEL_FORMAT, "meta": self.meta, "weights": self.classifier.to_dict()}
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> RealignModel:
        """Read an artifact written by :meth:`save`.

        Raises
        ------
        ModelNotFoundError
            The file is missing or unreadable.
        ModelIncompatibleError
            It was trained for another feature set or artifact format.
        """
        target = Path(path)
        if target.is_dir():
            target = target / "realign.json"
        try:
            data = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelNotFoundError(f"cannot read realigner model {target}: {exc}; {RETRAIN_HINT}") from exc
        return cls._from_data(data, str(target))

    @classmethod
    def _from_data(cls, data: dict[str, Any], where: str) -> RealignModel:
        meta = data.get("meta", {})
        if data.get("format") != MODEL_FORMAT or meta.get("feature_set") != FEATURE_SET_HASH:
            raise ModelIncompatibleError(
                f"model {where} has format {data.get('format')} / feature set {meta.get('feature_set')}, this gxparse "
                f"needs format {MODEL_FORMAT} / feature set {FEATURE_SET_HASH} ({len(FEATURE_NAMES)} features); {RETRAIN_HINT}")
        return cls(RealignClassifier.from_dict(data["weights"]), meta)


def _packaged_model() -> RealignModel:
    resource = resources.files("gxparse") / "_model" / "realign.json"
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelNotFoundError(f"the packaged realigner model is missing ({exc}); {RETRAIN_HINT}") from exc
    return RealignModel._from_data(data, "gxparse/_model/realign.json")


@cache
def _cached(path: str | None) -> RealignModel:
    return RealignModel.load(path) if path else _packaged_model()


def load_model(path: str | os.PathLike[str] | None = None) -> RealignModel:
    """Return the realigner model: ``path``, else ``$GXPARSE_MODEL``, else the packaged one (cached)."""
    chosen = path if path is not None else os.environ.get("GXPARSE_MODEL")
    return _cached(str(chosen) if chosen else None)
