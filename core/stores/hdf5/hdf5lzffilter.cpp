#include "hdf5lzffilter.h"

#include <hdf5.h>
#include <lzf.h>

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace cs {

namespace {

void pushError(const char *function, const char *message)
{
    H5Epush2(H5E_DEFAULT, __FILE__, function, __LINE__, H5E_ERR_CLS, H5E_PLINE, H5E_CALLBACK, "%s", message);
}

// Records the filter revision, the LZF API version and the chunk's size in bytes, keeping any
// values a file already has in the first two slots and anything past the third.
herr_t lzfSetLocal(hid_t dcpl, hid_t type, hid_t)
{
    unsigned flags = 0;
    size_t count = 8;
    unsigned values[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    if (H5Pget_filter_by_id2(dcpl, kHdf5LzfFilterId, &flags, &count, values, 0, nullptr, nullptr) < 0)
        return -1;
    if (count < 3)
        count = 3;
    if (values[0] == 0)
        values[0] = kHdf5LzfFilterRevision;
    if (values[1] == 0)
        values[1] = LZF_VERSION;

    hsize_t chunk[32];
    const int rank = H5Pget_chunk(dcpl, 32, chunk);
    if (rank < 0)
        return -1;
    if (rank > 32) {
        pushError("lzf_set_local", "Chunk rank exceeds limit");
        return -1;
    }
    // Unsigned arithmetic that wraps for chunks over 4 GiB, exactly as h5py computes it: the
    // value is only a first guess for the decompression buffer.
    unsigned bytes = unsigned(H5Tget_size(type));
    if (bytes == 0)
        return -1;
    for (int i = 0; i < rank; ++i)
        bytes *= unsigned(chunk[i]);
    values[2] = bytes;
    if (H5Pmodify_filter(dcpl, kHdf5LzfFilterId, flags, count, values) < 0)
        return -1;
    return 1;
}

size_t lzfFilter(unsigned flags, size_t cdCount, const unsigned cdValues[], size_t nbytes, size_t *bufSize, void **buf)
{
    if (nbytes > UINT_MAX) {
        pushError("lzf_filter", "Chunk exceeds LZF's 4 GiB limit");
        return 0;
    }
    void *out = nullptr;
    size_t outSize = 0;
    unsigned status = 0;

    if (!(flags & H5Z_FLAG_REVERSE)) {
        // An output buffer as long as the input: when the data do not fit, give up and let
        // HDF5 store the chunk unfiltered (the filter is optional).
        outSize = nbytes;
        out = std::malloc(outSize);
        if (!out) {
            pushError("lzf_filter", "Can't allocate compression buffer");
            return 0;
        }
        status = lzf_compress(*buf, unsigned(nbytes), out, unsigned(outSize));
    } else {
        outSize = (cdCount >= 3 && cdValues[2] != 0) ? cdValues[2] : *bufSize;
        while (!status) {
            std::free(out);
            out = std::malloc(outSize);
            if (!out) {
                pushError("lzf_filter", "Can't allocate decompression buffer");
                return 0;
            }
            errno = 0;
            status = lzf_decompress(*buf, unsigned(nbytes), out, unsigned(outSize));
            if (status)
                break;
            if (errno == E2BIG) {
                // The guess was too small (a file whose cd_values do not match its chunks).
                outSize += *bufSize;
                if (outSize > UINT_MAX) {
                    pushError("lzf_filter", "Requested LZF buffer too big");
                    break;
                }
            } else if (errno == EINVAL) {
                pushError("lzf_filter", "Invalid data for LZF decompression");
                break;
            } else {
                pushError("lzf_filter", "Unknown LZF decompression error");
                break;
            }
        }
    }

    if (status != 0) {
        std::free(*buf);
        *buf = out;
        *bufSize = outSize;
        return status;
    }
    std::free(out);
    return 0;
}

} // namespace

bool registerHdf5LzfFilter()
{
    // A function-local static is initialised exactly once even when threads race to it.
    static const bool registered = [] {
        static const H5Z_class2_t filterClass = {
            H5Z_CLASS_T_VERS, H5Z_filter_t(kHdf5LzfFilterId), 1, 1, "lzf", nullptr, lzfSetLocal, lzfFilter,
        };
        return H5Zregister(&filterClass) >= 0;
    }();
    return registered;
}

} // namespace cs
