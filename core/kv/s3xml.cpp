#include "s3xml.h"

#include <QXmlStreamReader>

namespace cs::s3xml {

namespace {

// Element names are compared without their namespace: S3 puts its documents in one, some
// compatible servers do not.
bool is(const QXmlStreamReader &xml, const char *name)
{
    return xml.name() == QLatin1String(name);
}

} // namespace

ErrorBody parseError(const char *data, size_t size)
{
    ErrorBody out;
    QXmlStreamReader xml(QByteArray::fromRawData(data, qsizetype(size)));
    if (!xml.readNextStartElement() || !is(xml, "Error"))
        return out;
    while (xml.readNextStartElement()) {
        if (is(xml, "Code"))
            out.code = xml.readElementText();
        else if (is(xml, "Message"))
            out.message = xml.readElementText();
        else if (is(xml, "ActualObjectSize"))
            out.actualObjectSize = xml.readElementText().toLongLong();
        else
            xml.skipCurrentElement();
    }
    return out;
}

bool parseListPage(const QByteArray &text, const std::function<void(const QString &key, int64_t size)> &visit,
                   QString *nextToken, QString *error)
{
    nextToken->clear();
    bool truncated = false;
    QXmlStreamReader xml(text);
    if (!xml.readNextStartElement() || !is(xml, "ListBucketResult")) {
        *error = QStringLiteral("the answer is not a ListBucketResult");
        return false;
    }
    while (xml.readNextStartElement()) {
        if (is(xml, "IsTruncated")) {
            truncated = xml.readElementText() == QLatin1String("true");
        } else if (is(xml, "NextContinuationToken")) {
            *nextToken = xml.readElementText();
        } else if (is(xml, "Contents")) {
            QString key;
            int64_t size = -1;
            while (xml.readNextStartElement()) {
                if (is(xml, "Key"))
                    key = xml.readElementText();
                else if (is(xml, "Size"))
                    size = xml.readElementText().toLongLong();
                else
                    xml.skipCurrentElement();
            }
            if (key.isEmpty()) {
                *error = QStringLiteral("an entry of the listing has no key");
                return false;
            }
            visit(key, size);
        } else {
            xml.skipCurrentElement();
        }
    }
    if (xml.hasError()) {
        *error = QStringLiteral("malformed listing: %1").arg(xml.errorString());
        return false;
    }
    // A truncated page without a token would make the caller list the first page forever.
    if (truncated && nextToken->isEmpty()) {
        *error = QStringLiteral("the listing is truncated but gives no continuation token");
        return false;
    }
    if (!truncated)
        nextToken->clear();
    return true;
}

QString parseUploadId(const QByteArray &text)
{
    QXmlStreamReader xml(text);
    if (!xml.readNextStartElement() || !is(xml, "InitiateMultipartUploadResult"))
        return QString();
    while (xml.readNextStartElement()) {
        if (is(xml, "UploadId"))
            return xml.readElementText();
        xml.skipCurrentElement();
    }
    return QString();
}

} // namespace cs::s3xml
