#include "s3multipart.h"

#include "kv/s3connection.h"
#include "kv/s3xml.h"
#include "kv/storeerror.h"

#include <algorithm>
#include <vector>

namespace cs {

namespace {

constexpr size_t kMaxParts = 10000; // S3's limit

std::string withQuery(const std::string &objectUrl, const char *query, const std::string &uploadId)
{
    std::string url = objectUrl + '?' + query;
    appendUriEncoded(url, uploadId.data(), uploadId.size(), false);
    return url;
}

} // namespace

void putMultipart(S3Connection &connection, const S3Session &session, const std::string &objectUrl, const char *data,
                  size_t size, RequestLog *log, const QString &name)
{
    using Method = RequestTiming::Method;
    const std::string initiate = objectUrl + "?uploads=";
    S3Outcome outcome = connection.perform(session, {Method::Post, initiate.c_str()}, log);
    const QString uploadId
        = outcome.ok() ? s3xml::parseUploadId(QByteArray::fromStdString(connection.text())) : QString();
    if (!outcome.ok())
        throw StoreError(
            QStringLiteral("%1: starting a multipart upload failed with %2").arg(name, connection.describe(outcome)));
    if (uploadId.isEmpty())
        throw StoreError(QStringLiteral("%1: the server started a multipart upload but named no UploadId").arg(name));
    const std::string id = uploadId.toStdString();

    const size_t threshold = std::max<size_t>(session.config().multipartThreshold, 1);
    const size_t partSize = std::max(threshold, (size + kMaxParts - 1) / kMaxParts);
    std::vector<std::string> etags;
    QString failure;
    for (size_t offset = 0, part = 1; offset < size && failure.isEmpty(); offset += partSize, ++part) {
        // The query's parameters in sorted order, as SigV4's canonical request has them.
        const std::string partUrl
            = withQuery(objectUrl, ("partNumber=" + std::to_string(part) + "&uploadId=").c_str(), id);
        const S3Call call{Method::Put, partUrl.c_str(), nullptr, data + offset, std::min(partSize, size - offset)};
        outcome = connection.perform(session, call, log);
        if (!outcome.ok())
            failure = QStringLiteral("part %1 failed with %2").arg(part).arg(connection.describe(outcome));
        else if (connection.etag().empty())
            failure = QStringLiteral("the server gave part %1 no ETag").arg(part);
        else
            etags.push_back(connection.etag());
    }

    if (failure.isEmpty()) {
        std::string complete = "<CompleteMultipartUpload>";
        for (size_t i = 0; i < etags.size(); ++i)
            complete
                += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" + etags[i] + "</ETag></Part>";
        complete += "</CompleteMultipartUpload>";
        const std::string url = withQuery(objectUrl, "uploadId=", id);
        outcome
            = connection.perform(session, {Method::Post, url.c_str(), nullptr, complete.data(), complete.size()}, log);
        // S3 may answer 200 and report the failure in the body, once the parts have been assembled.
        const s3xml::ErrorBody error = s3xml::parseError(connection.text().data(), connection.text().size());
        if (!outcome.ok())
            failure = QStringLiteral("completing it failed with %1").arg(connection.describe(outcome));
        else if (!error.code.isEmpty())
            failure = QStringLiteral("completing it failed with %1: %2").arg(error.code, error.message);
    }
    if (failure.isEmpty())
        return;
    const std::string abort = withQuery(objectUrl, "uploadId=", id);
    connection.perform(session, {Method::Delete, abort.c_str()}, log);
    throw StoreError(
        QStringLiteral("%1: multipart upload of %2 bytes: %3").arg(name).arg(qulonglong(size)).arg(failure));
}

} // namespace cs
