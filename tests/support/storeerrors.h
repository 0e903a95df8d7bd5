#pragma once

// The message a store call fails with, so that a test compares the exact text in one line.

#include "kv/storeerror.h"

#include <QString>

#include <functional>

inline QString storeError(const std::function<void()> &f)
{
    try {
        f();
    } catch (const cs::StoreError &e) {
        return e.message();
    }
    return QStringLiteral("no error");
}
