"""textkit: a text-analysis research toolkit.

Load a corpus folder with its metadata, clean and tokenise it, and run the
analyses (topics, term trends, similarity) whose figures go into papers.

Examples
--------
>>> import textkit
>>> issubclass(textkit.CorpusError, textkit.TextkitError)
True
"""

from __future__ import annotations

from textkit import figures
from textkit.corpus import Corpus, Document, doc_labels, load_corpus
from textkit.distributed import count_terms_dask, dask_client, documents_bag
from textkit.errors import ConfigError, CorpusError, MetadataError, TextkitError
from textkit.explorer import topic_explorer_html, write_topic_explorer
from textkit.features import (
    Analyzer,
    AnalyzerConfig,
    NotFittedError,
    TermError,
    TermWarning,
    document_term_matrix,
    to_bow,
    to_dictionary,
)
from textkit.figures import save_figure, save_table
from textkit.kwic import kwic
from textkit.overview import describe_corpus
from textkit.parallel import count_terms, fit_lda_multicore, tokenize_corpus
from textkit.phrases import PhraseConfig, PhraseModel, learn_phrases
from textkit.reproduce import NotebookError
from textkit.segment import aggregate, segment, split_paragraphs, split_passages, split_sentences
from textkit.similarity import (
    SimilarityConfig,
    SimilarityResult,
    analyze_similarity,
    bootstrap_stability,
    cluster_keyness,
    cluster_units,
    document_tree,
    embedding_vectors,
    fit_lsi,
    lsi_vectors,
    mantel,
    silhouette_by_k,
    similarity_matrix,
    tfidf_vectors,
)
from textkit.stream import (
    DocumentTermMatrix,
    StreamedCorpus,
    TermCounts,
    iter_documents,
    iter_units,
    serialize_corpus,
)
from textkit.tokenize import (
    DEFAULT_STOPWORDS,
    DOMAIN_STOPWORDS,
    ENGLISH_STOPWORDS,
    TokenizerConfig,
    tokenize,
)
from textkit.topics import (
    LdaConfig,
    NmfConfig,
    TopicCorpus,
    TopicModel,
    VocabularyConfig,
    align_topics,
    choose_k,
    coherence_grid,
    document_topic_shares,
    fit_lda,
    fit_nmf,
    prepare_topic_corpus,
    refit_seeds,
    representative_passages,
    top_terms,
    topic_coherence,
    topic_shares_by_year,
    topic_similarity,
    topic_stability,
)
from textkit.trends import keyness, term_counts, term_rates, trend_tests, yearly_rates

__version__ = "0.1.0"

__all__ = [
    "Analyzer",
    "AnalyzerConfig",
    "NotFittedError",
    "TermError",
    "TermWarning",
    "document_term_matrix",
    "to_bow",
    "to_dictionary",
    "PhraseConfig",
    "PhraseModel",
    "learn_phrases",
    "DEFAULT_STOPWORDS",
    "DOMAIN_STOPWORDS",
    "ENGLISH_STOPWORDS",
    "TokenizerConfig",
    "tokenize",
    "DocumentTermMatrix",
    "StreamedCorpus",
    "TermCounts",
    "count_terms",
    "count_terms_dask",
    "dask_client",
    "documents_bag",
    "fit_lda_multicore",
    "iter_documents",
    "iter_units",
    "serialize_corpus",
    "tokenize_corpus",
    "LdaConfig",
    "NmfConfig",
    "TopicCorpus",
    "TopicModel",
    "VocabularyConfig",
    "align_topics",
    "choose_k",
    "coherence_grid",
    "document_topic_shares",
    "fit_lda",
    "fit_nmf",
    "prepare_topic_corpus",
    "refit_seeds",
    "representative_passages",
    "top_terms",
    "topic_coherence",
    "topic_explorer_html",
    "topic_shares_by_year",
    "topic_similarity",
    "topic_stability",
    "write_topic_explorer",
    "Corpus",
    "Document",
    "aggregate",
    "describe_corpus",
    "doc_labels",
    "kwic",
    "load_corpus",
    "segment",
    "split_paragraphs",
    "split_passages",
    "split_sentences",
    "ConfigError",
    "CorpusError",
    "MetadataError",
    "TextkitError",
    "figures",
    "save_figure",
    "save_table",
    "keyness",
    "term_counts",
    "term_rates",
    "trend_tests",
    "yearly_rates",
    "SimilarityConfig",
    "SimilarityResult",
    "analyze_similarity",
    "bootstrap_stability",
    "cluster_keyness",
    "cluster_units",
    "document_tree",
    "embedding_vectors",
    "fit_lsi",
    "lsi_vectors",
    "mantel",
    "silhouette_by_k",
    "similarity_matrix",
    "tfidf_vectors",
    "NotebookError",
]
