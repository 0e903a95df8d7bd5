#include "codecchain.h"

#include "task/taskcontext.h"

#include <QStringList>

#include <algorithm>
#include <cstring>

namespace cs {

namespace {

constexpr size_t kMaskBits = 32;

Scratch stepBuffer(int step)
{
    return step % 2 == 0 ? Scratch::Shuffle : Scratch::Packed;
}

bool isSkipped(uint32_t mask, size_t i)
{
    return i < kMaskBits && ((mask >> i) & 1u);
}

} // namespace

CodecChain::CodecChain() = default;
CodecChain::~CodecChain() = default;
CodecChain::CodecChain(CodecChain &&) noexcept = default;
CodecChain &CodecChain::operator=(CodecChain &&) noexcept = default;

void CodecChain::append(std::unique_ptr<ChunkCodec> step, bool optional)
{
    m_steps.push_back({std::move(step), optional});
}

size_t CodecChain::maxEncodedSize(size_t n) const
{
    for (const Step &s : m_steps) {
        const size_t bound = s.codec->maxEncodedSize(n);
        // An optional step that cannot encode within its bound is skipped and passes its input on.
        n = s.optional ? std::max(n, bound) : bound;
    }
    return n;
}

CodecChain::Encoded CodecChain::encode(const char *chunk, size_t n, TaskContext &ctx) const
{
    Encoded result;
    const char *src = chunk;
    int buffer = 0;
    for (size_t i = 0; i < m_steps.size(); ++i) {
        const Step &s = m_steps[i];
        const size_t cap = s.codec->maxEncodedSize(n);
        char *dst = ctx.scratch(stepBuffer(buffer), cap);
        if (s.optional && i < kMaskBits) {
            const size_t written = s.codec->tryEncode(src, n, dst, cap);
            if (written == 0 && n > 0) {
                result.skipped |= uint32_t(1) << i;
                continue;
            }
            n = written;
        } else {
            n = s.codec->encode(src, n, dst, cap);
        }
        src = dst;
        ++buffer;
    }
    result.data = src;
    result.bytes = n;
    return result;
}

size_t CodecChain::decode(const char *stored, size_t n, uint32_t skipped, char *out, size_t cap, TaskContext &ctx) const
{
    // The last step to undo writes into out; the ones before it into scratch buffers as large as
    // what their encoding side could have produced from a chunk of cap bytes.
    int last = -1;
    for (size_t i = 0; i < m_steps.size(); ++i)
        if (!isSkipped(skipped, i)) {
            last = int(i);
            break;
        }
    const char *src = stored;
    int buffer = 0;
    for (int i = int(m_steps.size()) - 1; i >= 0; --i) {
        if (isSkipped(skipped, size_t(i)))
            continue;
        size_t stepCap = cap;
        char *dst = out;
        if (i != last) {
            for (int j = 0; j < i; ++j)
                stepCap = m_steps[size_t(j)].codec->maxEncodedSize(stepCap);
            dst = ctx.scratch(stepBuffer(buffer++), stepCap);
        }
        n = m_steps[size_t(i)].codec->decode(src, n, dst, stepCap);
        src = dst;
    }
    if (src != out) {
        if (n > cap)
            throw CodecError(QStringLiteral("the chunk decodes to %1 bytes, expected %2").arg(n).arg(cap));
        std::memcpy(out, src, n);
    }
    return n;
}

QString CodecChain::describe() const
{
    if (m_steps.empty())
        return QStringLiteral("none");
    QStringList parts;
    for (const Step &s : m_steps)
        parts << s.codec->describe();
    return parts.join(QStringLiteral(" | "));
}

} // namespace cs
