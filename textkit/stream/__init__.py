"""Stream a corpus folder in bounded memory: documents, counts, vocabulary, matrix.

A large archive (tens of thousands to millions of files) does not fit in memory
as one table of texts.  This module reads it one file at a time and builds the
results every analysis needs *incrementally*:

* :func:`iter_documents` -- yields one :class:`~textkit.corpus.Document` at a
  time from a corpus folder (same folder format, metadata rules and document
  order as :func:`textkit.load_corpus`);
* :class:`StreamedCorpus` -- a re-iterable view of a folder: documents, token
  lists or gensim bag-of-words vectors, computed afresh on every pass (gensim
  models iterate a corpus several times);
* :class:`TermCounts` -- a mergeable accumulator of term counts per year,
  document frequencies, the vocabulary and (optionally) the document-term matrix,
  built chunk-wise as sparse arrays.  :func:`textkit.count_terms` fills it
  serially or on all cores, :func:`textkit.count_terms_dask` on a Dask cluster;
  the results are identical;
* :func:`serialize_corpus` -- writes a streamed bag-of-words corpus to a Matrix
  Market file that gensim models read back from disk, pass after pass.

Memory: per-year counts, document frequencies and the vocabulary grow with the
vocabulary (times the number of years), not with the number of documents.  The
per-document counts (``per_document=True``) grow with the corpus -- about 8 bytes
per distinct (document, term) pair; switch them off, or serialise to disk, for
archives larger than memory.

The reading, counting and gensim parts live in the modules ``records``,
``counts`` and ``bow``; their public names are re-exported here.
"""

from __future__ import annotations

from textkit.stream.bow import StreamedCorpus, serialize_corpus
from textkit.stream.counts import DocumentTermMatrix, TermCounts, count_record_batch, merge_counts
from textkit.stream.records import default_analyzer, iter_documents, iter_records, iter_units

__all__ = [
    "DocumentTermMatrix",
    "StreamedCorpus",
    "TermCounts",
    "count_record_batch",
    "default_analyzer",
    "iter_documents",
    "iter_units",
    "iter_records",
    "merge_counts",
    "serialize_corpus",
]
