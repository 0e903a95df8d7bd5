#pragma once

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>

namespace cs::s3xml {

// The Code and Message of an S3 <Error> document, and the size it names when a range was refused
// (<ActualObjectSize>); empty, and -1, for a body that is not one (a proxy's HTML page).
struct ErrorBody {
    QString code;
    QString message;
    int64_t actualObjectSize = -1;
};
ErrorBody parseError(const char *data, size_t size);

// One page of a ListObjectsV2 answer: each object's key and size go to visit(); the token for the
// next page, empty on the last. Returns false, with the reason in *error, for a malformed document.
bool parseListPage(const QByteArray &xml, const std::function<void(const QString &key, int64_t size)> &visit,
                   QString *nextToken, QString *error);

// The UploadId of an InitiateMultipartUploadResult; empty when there is none.
QString parseUploadId(const QByteArray &xml);

} // namespace cs::s3xml
