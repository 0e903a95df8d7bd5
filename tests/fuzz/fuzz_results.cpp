// libFuzzer target: the results document parser, which the app uses to open past profiles. Its fast
// path reads task events straight from the text; any bytes must give a document or an error that
// names the file.
#include "results/resultsjson.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const std::optional<cs::ResultsDocument> doc = cs::parseResults(json, QStringLiteral("fuzz.json"), &error);
    if (!doc && !error.startsWith(QLatin1String("fuzz.json: ")))
        __builtin_trap();
    return 0;
}
