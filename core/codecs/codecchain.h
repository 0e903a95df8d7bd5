#pragma once

#include "chunkcodec.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace cs {

class TaskContext;

// A chunk's codecs in the order they encode: array→array steps, at most one array→bytes step, then
// bytes→bytes steps, as Zarr v3 orders them. Zarr v2's filters and compressor, a carray's cparams
// and an HDF5 dataset's filter pipeline are all such chains. Decoding runs the steps in reverse.
//
// A step may be optional (HDF5's optional filters): when it cannot encode a chunk within its bound,
// the chunk is stored without it and bit i of the chain's skip mask says so (steps past the 32nd
// are never skipped). Decoding undoes only the steps the mask does not mark.
//
// Intermediate results alternate between the worker's Scratch::Shuffle and Scratch::Packed buffers;
// the input of a step is always the other buffer, so growing one never loses the step's input.
// Thread-safe: one chain serves every worker.
class CodecChain {
public:
    CodecChain();
    ~CodecChain();
    CodecChain(CodecChain &&) noexcept;
    CodecChain &operator=(CodecChain &&) noexcept;

    void append(std::unique_ptr<ChunkCodec> step, bool optional = false);
    bool isEmpty() const { return m_steps.empty(); }
    size_t size() const { return m_steps.size(); }
    const ChunkCodec &step(size_t i) const { return *m_steps[i].codec; }
    bool isOptional(size_t i) const { return m_steps[i].optional; }

    // An upper bound of the encoded size of n bytes.
    size_t maxEncodedSize(size_t n) const;

    struct Encoded {
        const char *data = nullptr; // in the Packed or Shuffle buffer, or the input itself
        size_t bytes = 0;
        uint32_t skipped = 0; // bit i: optional step i was skipped
    };
    // Encodes n bytes. `chunk` must not be the Packed or Shuffle buffer. Throws CodecError when a
    // step that is not optional fails.
    Encoded encode(const char *chunk, size_t n, TaskContext &ctx) const;
    // Decodes stored bytes (which may live in the Packed buffer) into out, whose capacity is cap, and
    // returns the decoded size; out must be neither scratch buffer. Throws CodecError when the input
    // is corrupt or decodes to more than cap bytes.
    size_t decode(const char *stored, size_t n, uint32_t skipped, char *out, size_t cap, TaskContext &ctx) const;

    // The steps' own descriptions joined by " | ", in encoding order; "none" for an empty chain.
    QString describe() const;

private:
    struct Step {
        std::unique_ptr<ChunkCodec> codec;
        bool optional = false;
    };
    std::vector<Step> m_steps;
};

} // namespace cs
