#pragma once

#include "codecs/codecchain.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cs {

class TaskContext;

// A dataset's HDF5 filter pipeline, run on a worker thread for the direct chunk path: the stored
// bytes of a chunk come from H5Dread_chunk and go to H5Dwrite_chunk, and the filters HDF5 would
// apply inside its lock (shuffle, deflate, LZF) run here instead, as a codec chain. Filter i of the
// pipeline is applied i-th on writing and undone in reverse order on reading; bit i of a chunk's
// filter mask says it was skipped for that chunk, which is how HDF5 records an optional filter
// that gave up (the chain's skip mask).
class Hdf5FilterPipeline {
public:
    enum class Kind : uint8_t { Shuffle, Deflate, Lzf, Other };
    struct Filter {
        Kind kind = Kind::Other;
        int id = 0; // the HDF5 filter id (2 shuffle, 1 deflate, 32000 LZF, ...)
        unsigned param = 0; // shuffle: element size; deflate: level
        bool optional = true; // may be skipped when it fails on writing
    };

    void add(const Filter &filter);
    const std::vector<Filter> &filters() const { return m_filters; }
    bool isEmpty() const { return m_filters.empty(); }
    // True when every filter can run outside HDF5 (no fletcher32, szip, plugins, ...).
    bool runsOutsideHdf5() const;
    // The compression first, then the other filters: "lzf+shuffle", "gzip(4)+shuffle", "none".
    QString describe() const;
    // The filters in encoding order, for passing stored chunks between formats (EncodedForm::codecs):
    // each by the describe() of the codec that writes the same bytes where one does (deflate is a zlib
    // stream, Zarr v2's "zlib"; shuffle is numcodecs' "shuffle" of the same element size), the others
    // by their HDF5 filter id and parameter, which no other format's codecs equal.
    QStringList storedForm() const;

    // Undoes the pipeline on one stored chunk of storedBytes bytes, writing exactly chunkBytes bytes
    // to out. `stored` may live in the worker's Packed scratch buffer; the intermediate results use
    // the Shuffle and Packed buffers, so out must be neither. Throws CodecError, whose message says
    // which filter failed, when the chunk is corrupt or does not decode to chunkBytes.
    void decode(const char *stored, size_t storedBytes, uint32_t filterMask, char *out, size_t chunkBytes,
                TaskContext &ctx) const;

    struct Encoded {
        const char *data = nullptr; // in the worker's Packed or Shuffle buffer, or the input itself
        size_t bytes = 0;
        uint32_t filterMask = 0;
    };
    // Applies the pipeline to one chunk of chunkBytes bytes. An optional filter that cannot shrink
    // the data (LZF) is skipped and its mask bit set, exactly as HDF5 does; `chunk` must not be the
    // Packed or Shuffle buffer. Throws CodecError when a mandatory filter fails.
    Encoded encode(const char *chunk, size_t chunkBytes, TaskContext &ctx) const;

private:
    void refuseOthers() const;

    std::vector<Filter> m_filters;
    CodecChain m_chain; // the filters as codec steps, optional where the filter is
};

} // namespace cs
