"""Extractive digests of a set of comments, computed here and nowhere else: the most central
comments (TF-IDF cosine to the set's centroid) and the phrases that recur. Local: no text leaves
the server."""

import re
from functools import cache

import numpy as np

from feedback.analysis.resources import stopwords
from feedback.analysis.text import fold

MIN_DOCUMENTS = 2
BOILERPLATE_FROM = 20  # texts


TOKEN = r"(?u)\b[^\W\d_]{3,}\b"


@cache
def _stop_tokens() -> list[str]:
    """Function words as the vectoriser's tokens (folded, split as it splits)."""
    return sorted({token for word in stopwords()["any"] for token in re.findall(TOKEN, fold(word))})


def _vectoriser(**options):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(preprocessor=fold, stop_words=_stop_tokens(), token_pattern=TOKEN,
                           sublinear_tf=True, **options)


def central(texts: list[str], n: int) -> list[int]:
    """Indices of the `n` texts closest to what the whole set says, most central first."""
    if len(texts) <= n:
        return list(range(len(texts)))
    try:
        matrix = _vectoriser(ngram_range=(1, 2)).fit_transform(texts)
    except ValueError:  # nothing but stop words
        return list(range(n))
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    if not norm:
        return list(range(n))
    # Rows are L2-normalised: the dot product with the unit centroid is the cosine.
    scores = matrix @ (centroid / norm)
    return [int(i) for i in np.argsort(-scores, kind="stable")[:n]]


def key_phrases(texts: list[str], n: int) -> list[str]:
    """Phrases of two or three words said in at least two texts, the weightiest first."""
    if len(texts) < MIN_DOCUMENTS:
        return []
    try:
        # In a large set, a phrase in most texts is boilerplate ("note de terrain"), not news.
        vectoriser = _vectoriser(ngram_range=(2, 3), min_df=MIN_DOCUMENTS,
                                 max_df=0.5 if len(texts) >= BOILERPLATE_FROM else 1.0)
        matrix = vectoriser.fit_transform(texts)
    except ValueError:  # no phrase said twice
        return []
    weights = np.asarray(matrix.sum(axis=0)).ravel()
    names = vectoriser.get_feature_names_out()
    chosen: list[str] = []
    for index in np.argsort(-weights, kind="stable"):
        phrase = str(names[index])
        if any(phrase in kept or kept in phrase for kept in chosen):
            continue  # "double saisie" and "double saisie papier" say one thing
        chosen.append(phrase)
        if len(chosen) == n:
            break
    return chosen
