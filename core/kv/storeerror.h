#pragma once

#include <QString>

#include <stdexcept>

namespace cs {

// A failure of a store: a corrupt chunk, a missing file, a failed write. A store's message names the
// array and, where there is one, the chunk; a key-value store's (kv/keyvalue.h) names the value (its
// file, or its key in memory) and the store above adds its label. It lives below the stores so that
// both layers throw the one type and a failure passes up with nothing to convert. Thrown only on
// failure, so the hot path pays nothing.
class StoreError : public std::runtime_error {
public:
    explicit StoreError(const QString &message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    const QString &message() const { return m_message; }

private:
    QString m_message;
};

} // namespace cs
