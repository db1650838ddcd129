"""Content model: TF-IDF over title, text, tags, categories and editor metadata; neighbours; cold start."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from ..domain import ContentItem
from .items import item_document
from .neighbors import top_n_similar


class ContentModel:
    """Item vectors and their top-N most similar items; new catalog items are vectorised on arrival."""

    def __init__(self, n_neighbors: int = 50, max_features: int = 50_000, exact_up_to: int = 2000,
                 n_components: int = 128, random_state: int = 7):
        self.n_neighbors = n_neighbors
        self.max_features = max_features
        self.exact_up_to = exact_up_to
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, items: list[ContentItem]):
        """Fit the vectorizer on the catalog and precompute each item's nearest neighbours."""
        self.vectorizer_ = TfidfVectorizer(sublinear_tf=True, max_features=self.max_features, min_df=1,
                                           stop_words="english", dtype=np.float32)
        documents = [item_document(i) for i in items]
        try:
            tfidf = self.vectorizer_.fit_transform(documents).tocsr()
        except ValueError:
            # A catalog with no words (untitled, untagged, no text) or only stop words: keep stop words
            # and give each item its own id token, so the vocabulary is never empty; such items simply
            # have no content neighbours instead of failing the whole training.
            self.vectorizer_ = TfidfVectorizer(sublinear_tf=True, max_features=self.max_features,
                                               token_pattern=r"(?u)\b\w+\b", dtype=np.float32)
            tfidf = self.vectorizer_.fit_transform(
                [f"{doc} item_{item.id}" for doc, item in zip(documents, items, strict=True)]).tocsr()
        self.svd_ = None
        if len(items) > self.exact_up_to and tfidf.shape[1] > self.n_components:
            # Large catalogs: exact sparse cosine over 10k x 10k items is slow; a 128-dim LSA projection
            # keeps the neighbours (and observe_catalog) fast with dense products.
            self.svd_ = TruncatedSVD(self.n_components, random_state=self.random_state).fit(tfidf)
        self.vectors_ = self._project(tfidf)
        self.idx_, self.sims_ = top_n_similar(self.vectors_, self.vectors_, self.n_neighbors)
        return self

    def _project(self, tfidf):
        if self.svd_ is None:
            return tfidf
        dense = self.svd_.transform(tfidf).astype(np.float32)
        return dense / np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-9)

    def add_items(self, items: list[ContentItem]) -> None:
        """Vectorise new items, give them neighbours, and enter them into existing items' lists."""
        new = self._project(self.vectorizer_.transform([item_document(i) for i in items]).astype(np.float32))
        old_n = self.vectors_.shape[0]
        stack = (lambda parts: sp.vstack(parts).tocsr()) if sp.issparse(new) else np.vstack
        vectors = stack([self.vectors_, new])
        idx, sims = top_n_similar(new, vectors, self.idx_.shape[1], exclude_self=False)
        own = np.arange(old_n, old_n + new.shape[0])[:, None]
        sims = np.where(idx == own, 0.0, sims).astype(np.float32)
        # Reverse links: a new post enters an old post's list where it beats the weakest neighbour.
        back = self.vectors_ @ new.T
        back = (back.toarray() if sp.issparse(back) else np.asarray(back)).astype(np.float32)
        old_idx, old_sims = self.idx_.copy(), self.sims_.copy()
        for j in range(new.shape[0]):
            weakest = old_sims.argmin(axis=1)
            rows = np.flatnonzero(back[:, j] > old_sims[np.arange(old_n), weakest])
            old_idx[rows, weakest[rows]] = old_n + j
            old_sims[rows, weakest[rows]] = back[rows, j]
        self.vectors_ = vectors
        self.idx_ = np.vstack([old_idx, idx])
        self.sims_ = np.vstack([old_sims, sims])
