"""The realigner model artifact: fitted weights of the candidate classifier, plus metadata.

The classifier (:class:`gxparse.estimator.RealignClassifier`, scikit-learn) gives each row
candidate the probability of being the correct placement. It is fitted by ``gxparse train`` on
annotated reports and synthetic renderings of gold grids, and saved as JSON (means, scales,
coefficients, column priors, metadata: no pickle). :func:`load_model` loads the released artifact
shipped inside the package, once per process, or a path given by the caller or ``$GXPARSE_MODEL``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from gxparse.errors import ModelIncompatibleError, ModelNotFoundError
from gxparse.features import FEATURE_NAMES, FEATURE_SET_HASH

if TYPE_CHECKING:
    from gxparse.estimator import RealignClassifier
    from gxparse.locator import LineTagger

MODEL_FORMAT = 1
LOCATOR_FILE = "locator.crfsuite"
RETRAIN_HINT = ("retrain it with: gxparse train training_data/dev -o models/realign"
                "  (then copy models/realign/realign.json to gxparse/_model/ to release it)")


class RealignModel:
    """The fitted weights of a :class:`~gxparse.estimator.RealignClassifier` plus artifact metadata.

    Parsing only needs :meth:`decision_function`, the fitted linear map applied with numpy;
    :attr:`classifier` rebuilds the scikit-learn estimator on demand. ``locator`` is the line
    tagger trained with it on the same reports (:mod:`gxparse.locator`), saved beside it as
    CRFsuite's own file; ``None`` means the packaged locator.
    """

    def __init__(self, weights: dict[str, Any], meta: dict[str, Any], locator: LineTagger | None = None) -> None:
        self.weights = weights
        self.meta = meta
        self.locator = locator
        self._mean = np.asarray(weights["mean"], dtype=float)
        self._scale = np.asarray(weights["scale"], dtype=float)
        self._coef = np.asarray(weights["coef"], dtype=float)[0]
        self._intercept = float(np.asarray(weights["intercept"], dtype=float)[0])

    @classmethod
    def from_classifier(cls, classifier: RealignClassifier, meta: dict[str, Any],
                        locator: LineTagger | None = None) -> RealignModel:
        """Wrap a fitted estimator (and the locator trained with it)."""
        return cls(classifier.to_dict(), meta, locator)

    @property
    def classifier(self) -> RealignClassifier:
        """The scikit-learn estimator with these weights (imports scikit-learn)."""
        from gxparse.estimator import RealignClassifier

        return RealignClassifier.from_dict(self.weights)

    def decision_function(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Log-odds that each candidate (a row of features) is the right placement."""
        Z = (np.asarray(X, dtype=float) - self._mean) / self._scale
        return np.asarray(Z @ self._coef + self._intercept, dtype=float)

    @property
    def version(self) -> str:
        """The model's version string (``name@created``)."""
        return f"{self.meta.get('name', 'realign')}@{self.meta.get('created', '?')}"

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the artifact as one JSON file (a directory gets ``realign.json``); return its path.

        The locator, if any, is written beside it as ``locator.crfsuite``.
        """
        target = Path(path)
        if target.suffix != ".json":
            target.mkdir(parents=True, exist_ok=True)
            target = target / "realign.json"
        data = {"format": MODEL_FORMAT, "meta": self.meta, "weights": self.weights}
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if self.locator is not None:
            self.locator.save(target.parent / LOCATOR_FILE)
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
        model = cls._from_data(data, str(target))
        if (target.parent / LOCATOR_FILE).is_file():
            from gxparse.locator import LineTagger

            model.locator = LineTagger.load(target.parent / LOCATOR_FILE)
        return model

    @classmethod
    def _from_data(cls, data: dict[str, Any], where: str) -> RealignModel:
        meta = data.get("meta", {})
        if data.get("format") != MODEL_FORMAT or meta.get("feature_set") != FEATURE_SET_HASH:
            raise ModelIncompatibleError(
                f"model {where} has format {data.get('format')} / feature set {meta.get('feature_set')}, this gxparse "
                f"needs format {MODEL_FORMAT} / feature set {FEATURE_SET_HASH} ({len(FEATURE_NAMES)} features); {RETRAIN_HINT}")
        return cls(data["weights"], meta)


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
