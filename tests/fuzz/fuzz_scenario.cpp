// libFuzzer target: the scenario parser. Any bytes must give either a scenario or one error line that
// names the file, never a crash, a hang or an allocation the input did not earn. A scenario that
// parses must also save (as the app's editor saves it) to a file that parses to the same scenario.
#include "scenario/scenarioparser.h"
#include "scenario/scenariowriter.h"

#include <cstddef>
#include <cstdint>

namespace {

bool sameArrays(const cs::Scenario &a, const cs::Scenario &b)
{
    if (a.arrays.size() != b.arrays.size())
        return false;
    for (qsizetype i = 0; i < a.arrays.size(); ++i) {
        const cs::ArraySpec &x = a.arrays[i];
        const cs::ArraySpec &y = b.arrays[i];
        if (x.id != y.id || x.store != y.store || x.dtype != y.dtype || x.shape != y.shape || x.chunks != y.chunks
            || !(x.fill == y.fill) || x.options.has_value() != y.options.has_value()
            || cs::arraySpecToJson(x) != cs::arraySpecToJson(y))
            return false;
    }
    return true;
}

bool sameRuns(const cs::Scenario &a, const cs::Scenario &b)
{
    if (a.runs.size() != b.runs.size())
        return false;
    for (qsizetype i = 0; i < a.runs.size(); ++i) {
        const cs::RunSpec &x = a.runs[i];
        const cs::RunSpec &y = b.runs[i];
        if (x.name != y.name || x.source != y.source || x.target != y.target || x.chunks != y.chunks
            || x.workers != y.workers || x.lock != y.lock || x.verify != y.verify || x.repeat != y.repeat)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<cs::Scenario> scenario = cs::parseScenario(json, QStringLiteral("fuzz.json"), &error);
    if (!scenario) {
        // A rejected file always says why, prefixed with the file label.
        if (!error.startsWith(QLatin1String("fuzz.json: ")))
            __builtin_trap();
        return 0;
    }
    const std::optional<cs::Scenario> saved
        = cs::parseScenario(cs::scenarioToJson(*scenario), QStringLiteral("saved.json"), &error);
    if (!saved || saved->name != scenario->name || !sameArrays(*scenario, *saved) || !sameRuns(*scenario, *saved))
        __builtin_trap();
    return 0;
}
