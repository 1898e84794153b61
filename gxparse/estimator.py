"""The realigner's scikit-learn estimator: standardisation + logistic regression over candidates.

:class:`RealignClassifier` follows the scikit-learn estimator API (parameters only in
``__init__``, learned attributes ending in ``_``, ``fit`` returns ``self``) and serialises to plain
data with :meth:`RealignClassifier.to_dict`. scikit-learn is imported only here, by training and
by callers who want the estimator object; parsing applies the fitted weights with numpy
(:class:`gxparse.realign.RealignModel`), so ``import gxparse`` stays light.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from gxparse.errors import NotFittedError


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
