"""Topic models a reviewer can trust: LDA, a k grid by coherence, stability, NMF.

Every function here is pure and works on token lists (one list of terms per
modelling unit, usually a passage from :func:`textkit.segment.segment`), so the
module depends on nothing else in textkit but the sampler
:func:`textkit.segment.sample_positions`.  The flow used by
``notebooks/02-topics.ipynb`` is

1. :func:`prepare_topic_corpus` -- token lists -> :class:`TopicCorpus` (the
   vocabulary, bag-of-words and the filtered texts the models see);
   on a large corpus, :func:`sample_topic_corpus` draws the seeded sample of at
   most ``max_passages`` units that steps 2 and 3 are fitted on;
2. :func:`coherence_grid` -- fit gensim ``LdaModel`` (and scikit-learn ``NMF``)
   for every k of a grid and score each fit with gensim ``CoherenceModel``
   (``c_v`` and ``c_npmi``) on the same texts; :func:`choose_k` applies the
   stated rule :data:`K_CHOICE_RULE`;
3. :func:`refit_seeds` and :func:`topic_stability` -- refit the chosen k with
   several seeds, align topics by Hungarian matching
   (:func:`align_topics`) and report a per-topic stability score;
4. :func:`infer_topics` -- the topic shares of every unit under a model fitted
   on a sample;
5. :func:`top_terms`, :func:`document_topic_shares`,
   :func:`topic_shares_by_year` and :func:`representative_passages` -- the
   labelled tables the figures and the explorer draw.

Topics are numbered from 1 in every table.  Randomness enters only through the
``random_state`` of the configs and the ``random_state`` of the bootstrap.

The steps live in ``vocabulary``, ``models``, ``coherence``, ``stability`` and
``tables``; their public names are re-exported here.
"""

from __future__ import annotations

from textkit.topics.coherence import (
    COHERENCE_MEASURES,
    K_CHOICE_RULE,
    choose_k,
    coherence_grid,
    topic_coherence,
)
from textkit.topics.models import LdaConfig, NmfConfig, TopicModel, fit_lda, fit_nmf, infer_topics
from textkit.topics.stability import align_topics, refit_seeds, topic_similarity, topic_stability
from textkit.topics.tables import (
    YearlyTopicShares,
    document_topic_shares,
    representative_passages,
    top_terms,
    topic_shares_by_year,
)
from textkit.topics.vocabulary import (
    TopicCorpus,
    VocabularyConfig,
    prepare_topic_corpus,
    sample_topic_corpus,
)

__all__ = [
    "COHERENCE_MEASURES",
    "K_CHOICE_RULE",
    "LdaConfig",
    "NmfConfig",
    "TopicCorpus",
    "TopicModel",
    "VocabularyConfig",
    "YearlyTopicShares",
    "align_topics",
    "choose_k",
    "coherence_grid",
    "document_topic_shares",
    "fit_lda",
    "fit_nmf",
    "infer_topics",
    "prepare_topic_corpus",
    "refit_seeds",
    "representative_passages",
    "sample_topic_corpus",
    "top_terms",
    "topic_coherence",
    "topic_shares_by_year",
    "topic_similarity",
    "topic_stability",
]
