#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>

namespace cs {

// A worker's reusable buffer. It grows to the largest size asked for and is then reused by every
// later task, so the copy's hot path allocates only during its first tasks. 64-byte aligned for SIMD.
class ScratchBuffer {
public:
    char *reserve(size_t bytes)
    {
        if (bytes > m_capacity) {
            const size_t rounded = (bytes + 63) & ~size_t(63);
            m_data.reset(static_cast<char *>(std::aligned_alloc(64, rounded)));
            if (!m_data)
                throw std::bad_alloc();
            m_capacity = rounded;
        }
        return m_data.get();
    }
    char *data() const { return m_data.get(); }
    size_t capacity() const { return m_capacity; }

private:
    struct Free {
        void operator()(char *p) const { std::free(p); }
    };
    std::unique_ptr<char, Free> m_data;
    size_t m_capacity = 0;
};

} // namespace cs
