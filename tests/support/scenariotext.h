#pragma once

// Scenario texts and helpers the scenario suites share.
#include "scenario/scenarioparser.h"

#include <QDebug>
#include <QDir>

#include <initializer_list>
#include <optional>
#include <vector>

// A parsed array's options of one kind; the defaults for an array of another kind.
template <class Options> const Options &opt(const cs::ArraySpec &a)
{
    static const Options defaults;
    const Options *own = a.optionsIf<Options>();
    return own ? *own : defaults;
}

inline QString dataPath(const QString &relative)
{
    return QDir(qEnvironmentVariable("CHUNKSCOPE_TEST_DATA")).filePath(relative);
}

template <size_t N> QByteArray bytes(const char (&text)[N])
{
    return QByteArray(text, qsizetype(N - 1)); // keeps embedded NULs
}

// A scenario around the given arrays and runs.
inline QByteArray doc(const QByteArray &arrays, const QByteArray &runs = "[]")
{
    return "{\"chunkscope\": 1, \"arrays\": {" + arrays + "}, \"runs\": " + runs + "}";
}

inline const QByteArray A1
    = R"("a1": {"store": "memory", "dtype": "<i4", "shape": [100], "chunks": [10], "fill": "arange"})";
inline const QByteArray A2 = R"("a2": {"store": "memory", "like": "a1"})";
inline const QByteArray Z1 = R"("z1": {"store": "zarr", "like": "a1")";
inline const QByteArray H1 = R"("h1": {"store": "hdf5", "like": "a1")";
inline const QByteArray C1 = R"("c1": {"store": "carray", "like": "a1")";

inline std::vector<int64_t> v(std::initializer_list<int64_t> values)
{
    return std::vector<int64_t>(values);
}

inline std::optional<cs::Scenario> parseOk(const QByteArray &json)
{
    QString error;
    std::optional<cs::Scenario> s = cs::parseScenario(json, QStringLiteral("t.json"), &error);
    if (!s)
        qWarning().noquote() << error;
    return s;
}
