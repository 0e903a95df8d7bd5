#pragma once

#include <QString>

#include <cstddef>
#include <string>

namespace cs {

class RequestLog;
class S3Connection;
class S3Session;

// Puts a value too large for one PUT as an S3 multipart upload: initiate, one PUT per part, complete;
// on any failure the upload is aborted, so that no parts are left billed and the key keeps its old
// value. `objectUrl` is the object's URL without a query; `name` names it in the StoreError thrown.
void putMultipart(S3Connection &connection, const S3Session &session, const std::string &objectUrl, const char *data,
                  size_t size, RequestLog *log, const QString &name);

} // namespace cs
