"""textkit: a text-analysis research toolkit.

Load a corpus folder with its metadata, clean and tokenise it, and run the
analyses (topics, term trends, similarity) whose figures go into papers.

Public names are imported on first use, so ``import textkit`` stays fast; the
heavy libraries (gensim, matplotlib, dask, papermill) load only when an
analysis needs them.

Examples
--------
>>> import textkit
>>> issubclass(textkit.CorpusError, textkit.TextkitError)
True
>>> textkit.tokenize(textkit.clean("Japan's **Self-Defense Forces**"))
['japan', 'self-defense', 'forces']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Names that are also submodules (the function textkit.clean vs the module textkit.clean)
# are bound eagerly, so that importing the submodule elsewhere can never shadow the function.
from textkit.clean import clean  # noqa: I001
from textkit.errors import ConfigError, CorpusError, MetadataError, TextkitError
from textkit.kwic import kwic
from textkit.segment import segment
from textkit.tokenize import tokenize

__version__ = "0.1.0"

#: Public name -> module that defines it (imported on first attribute access).
_LAZY: dict[str, str] = {
    "DEFAULT_PIPELINE": "textkit.clean",
    "Pipeline": "textkit.clean",
    "cleaning_report": "textkit.clean",
    "Corpus": "textkit.corpus",
    "Document": "textkit.corpus",
    "doc_labels": "textkit.corpus",
    "document_table": "textkit.corpus",
    "load_corpus": "textkit.corpus",
    "count_terms_dask": "textkit.distributed",
    "dask_client": "textkit.distributed",
    "documents_bag": "textkit.distributed",
    "topic_explorer_html": "textkit.explorer",
    "write_topic_explorer": "textkit.explorer",
    "Analyzer": "textkit.features",
    "AnalyzerConfig": "textkit.features",
    "NotFittedError": "textkit.features",
    "TermError": "textkit.features",
    "TermWarning": "textkit.features",
    "document_term_matrix": "textkit.features",
    "to_bow": "textkit.features",
    "to_dictionary": "textkit.features",
    "save_figure": "textkit.figures",
    "save_table": "textkit.figures",
    "describe_corpus": "textkit.overview",
    "count_terms": "textkit.parallel",
    "fit_lda_multicore": "textkit.parallel",
    "tokenize_corpus": "textkit.parallel",
    "PhraseConfig": "textkit.phrases",
    "PhraseModel": "textkit.phrases",
    "learn_phrases": "textkit.phrases",
    "NotebookError": "textkit.reproduce",
    "aggregate": "textkit.segment",
    "sample_positions": "textkit.segment",
    "split_paragraphs": "textkit.segment",
    "split_passages": "textkit.segment",
    "split_sentences": "textkit.segment",
    "SimilarityConfig": "textkit.similarity",
    "SimilarityResult": "textkit.similarity",
    "analyze_similarity": "textkit.similarity",
    "bootstrap_stability": "textkit.similarity",
    "cluster_keyness": "textkit.similarity",
    "cluster_units": "textkit.similarity",
    "document_tree": "textkit.similarity",
    "embedding_vectors": "textkit.similarity",
    "fit_lsi": "textkit.similarity",
    "lsi_vectors": "textkit.similarity",
    "mantel": "textkit.similarity",
    "silhouette_by_k": "textkit.similarity",
    "similarity_matrix": "textkit.similarity",
    "tfidf_vectors": "textkit.similarity",
    "DocumentTermMatrix": "textkit.stream",
    "StreamedCorpus": "textkit.stream",
    "TermCounts": "textkit.stream",
    "iter_documents": "textkit.stream",
    "iter_units": "textkit.stream",
    "serialize_corpus": "textkit.stream",
    "DEFAULT_STOPWORDS": "textkit.tokenize",
    "DOMAIN_STOPWORDS": "textkit.tokenize",
    "ENGLISH_STOPWORDS": "textkit.tokenize",
    "TokenizerConfig": "textkit.tokenize",
    "LdaConfig": "textkit.topics",
    "NmfConfig": "textkit.topics",
    "TopicCorpus": "textkit.topics",
    "TopicModel": "textkit.topics",
    "VocabularyConfig": "textkit.topics",
    "align_topics": "textkit.topics",
    "choose_k": "textkit.topics",
    "coherence_grid": "textkit.topics",
    "document_topic_shares": "textkit.topics",
    "fit_lda": "textkit.topics",
    "fit_nmf": "textkit.topics",
    "infer_topics": "textkit.topics",
    "prepare_topic_corpus": "textkit.topics",
    "refit_seeds": "textkit.topics",
    "representative_passages": "textkit.topics",
    "sample_topic_corpus": "textkit.topics",
    "top_terms": "textkit.topics",
    "topic_coherence": "textkit.topics",
    "topic_shares_by_year": "textkit.topics",
    "topic_similarity": "textkit.topics",
    "topic_stability": "textkit.topics",
    "keyness": "textkit.trends",
    "term_counts": "textkit.trends",
    "term_rates": "textkit.trends",
    "trend_tests": "textkit.trends",
    "yearly_rates": "textkit.trends",
}

__all__ = [
    "Analyzer",
    "AnalyzerConfig",
    "ConfigError",
    "Corpus",
    "CorpusError",
    "DEFAULT_PIPELINE",
    "DEFAULT_STOPWORDS",
    "DOMAIN_STOPWORDS",
    "Document",
    "DocumentTermMatrix",
    "ENGLISH_STOPWORDS",
    "LdaConfig",
    "MetadataError",
    "NmfConfig",
    "NotFittedError",
    "NotebookError",
    "PhraseConfig",
    "PhraseModel",
    "Pipeline",
    "SimilarityConfig",
    "SimilarityResult",
    "StreamedCorpus",
    "TermCounts",
    "TermError",
    "TermWarning",
    "TextkitError",
    "TokenizerConfig",
    "TopicCorpus",
    "TopicModel",
    "VocabularyConfig",
    "aggregate",
    "align_topics",
    "analyze_similarity",
    "bootstrap_stability",
    "choose_k",
    "clean",
    "cleaning_report",
    "cluster_keyness",
    "cluster_units",
    "coherence_grid",
    "count_terms",
    "count_terms_dask",
    "dask_client",
    "describe_corpus",
    "doc_labels",
    "document_table",
    "document_term_matrix",
    "document_topic_shares",
    "document_tree",
    "documents_bag",
    "embedding_vectors",
    "figures",
    "fit_lda",
    "fit_lda_multicore",
    "fit_lsi",
    "fit_nmf",
    "infer_topics",
    "iter_documents",
    "iter_units",
    "keyness",
    "kwic",
    "learn_phrases",
    "load_corpus",
    "lsi_vectors",
    "mantel",
    "prepare_topic_corpus",
    "refit_seeds",
    "representative_passages",
    "sample_positions",
    "sample_topic_corpus",
    "save_figure",
    "save_table",
    "segment",
    "serialize_corpus",
    "silhouette_by_k",
    "similarity_matrix",
    "split_paragraphs",
    "split_passages",
    "split_sentences",
    "term_counts",
    "term_rates",
    "tfidf_vectors",
    "to_bow",
    "to_dictionary",
    "tokenize",
    "tokenize_corpus",
    "top_terms",
    "topic_coherence",
    "topic_explorer_html",
    "topic_shares_by_year",
    "topic_similarity",
    "topic_stability",
    "trend_tests",
    "write_topic_explorer",
    "yearly_rates",
]


def __getattr__(name: str) -> Any:
    if name == "figures":
        return importlib.import_module("textkit.figures")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'textkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # real imports for type checkers and IDEs
    from textkit import figures
    from textkit.clean import DEFAULT_PIPELINE, Pipeline, cleaning_report
    from textkit.corpus import Corpus, Document, doc_labels, document_table, load_corpus
    from textkit.distributed import count_terms_dask, dask_client, documents_bag
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
    from textkit.overview import describe_corpus
    from textkit.parallel import count_terms, fit_lda_multicore, tokenize_corpus
    from textkit.phrases import PhraseConfig, PhraseModel, learn_phrases
    from textkit.reproduce import NotebookError
    from textkit.segment import (
        aggregate,
        sample_positions,
        split_paragraphs,
        split_passages,
        split_sentences,
    )
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
        infer_topics,
        prepare_topic_corpus,
        refit_seeds,
        representative_passages,
        sample_topic_corpus,
        top_terms,
        topic_coherence,
        topic_shares_by_year,
        topic_similarity,
        topic_stability,
    )
    from textkit.trends import keyness, term_counts, term_rates, trend_tests, yearly_rates
