#pragma once

#include <QString>

#include <cstddef>

namespace cs {

// Where an S3-compatible server is and how to sign for it. Empty fields are filled by resolve() from
// the environment, as the AWS tools do, so a scenario can name a bucket without naming a secret.
struct S3Config {
    QString endpoint; // "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000"; AWS_ENDPOINT_URL
    QString region; // AWS_REGION, then the profile's region, then us-east-1
    QString profile; // a section of ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE); AWS_PROFILE
    // Plain HTTP to a host that is not loopback sends the signed requests and the data in the clear,
    // so it must be asked for.
    bool allowHttp = false;
    QString accessKeyId; // AWS_ACCESS_KEY_ID or the profile's aws_access_key_id
    QString secretAccessKey;
    QString sessionToken; // AWS_SESSION_TOKEN, for temporary credentials
    // Values above this many bytes go up as a multipart upload, in parts of this size (S3 takes parts
    // of 5 MiB to 5 GiB, and at most 10,000 of them).
    size_t multipartThreshold = size_t(16) << 20;
    // Tries per request, the first included, on 5xx, 429 and broken connections.
    int maxAttempts = 5;
    // The first retry waits about this long; each later one twice as long, with jitter, up to 5 s.
    int backoffMs = 50;

    // A copy with every empty field filled in. Throws StoreError when no credentials are found or the
    // endpoint is malformed or plain HTTP to a host that is not loopback without allowHttp, before any
    // request is made. Never puts a secret into the message.
    S3Config resolved() const;
    // The endpoint resolved() would reach, without looking for credentials and without checking it:
    // "https://s3.us-east-1.amazonaws.com", "http://127.0.0.1:9000". Compares equal for one server
    // however its scheme or host are capitalised or however many slashes end it.
    QString resolvedEndpoint() const;
};

// An "s3://bucket/prefix" path, split. The prefix has no leading slash and, unless empty, ends in one.
struct S3Location {
    QString bucket;
    QString prefix;

    // True when `path` starts with s3:// (whatever follows).
    static bool isS3Path(const QString &path);
    // Throws StoreError when the path names no valid bucket.
    static S3Location parse(const QString &path);
    QString toString() const { return QStringLiteral("s3://") + bucket + QLatin1Char('/') + prefix; }
};

} // namespace cs
