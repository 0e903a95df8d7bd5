#include "bcolzrootdir.h"

#include "io/atomicfile.h"
#include "io/regularfile.h"
#include "io/storedirectory.h"
#include "stores/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <blosc.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

namespace {

constexpr char kMagic[4] = {'b', 'l', 'p', 'k'};
constexpr uint8_t kFormatVersion = 1;
constexpr size_t kBloscHeaderBytes = 16;
constexpr size_t kMaxPath = 4096;

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

uint32_t readLe32(const char *p)
{
    const auto *u = reinterpret_cast<const unsigned char *>(p);
    return uint32_t(u[0]) | uint32_t(u[1]) << 8 | uint32_t(u[2]) << 16 | uint32_t(u[3]) << 24;
}

// Python's json.dumps of a list of ints: "[1, 2, 3]".
QByteArray jsonIntList(const Coords &c)
{
    QByteArray out("[");
    for (int i = 0; i < c.rank; ++i) {
        if (i)
            out += ", ";
        out += QByteArray::number(qint64(c[i]));
    }
    return out + ']';
}

// numpy's str(dtype): the name for native and one-byte types, the typestr for big-endian ones.
QString bcolzDtypeName(const DType &dtype)
{
    return dtype.needsSwap() ? dtype.typestr() : dtype.name();
}

// json.dumps of np.zeros((), dtype).tolist(), bcolz's default "dflt".
QByteArray zeroDefault(const DType &dtype)
{
    switch (dtype.kind()) {
    case DType::Kind::Bool:
        return "false";
    case DType::Kind::Float:
        return "0.0";
    case DType::Kind::Int:
    case DType::Kind::UInt:
        return "0";
    case DType::Kind::Complex:
    case DType::Kind::Bytes:
    case DType::Kind::Unicode:
    case DType::Kind::Datetime:
    case DType::Kind::Timedelta:
        break; // refused by checkParams
    }
    return "0";
}

QByteArray readMetaText(const QString &file)
{
    QString readError;
    bool missing = false;
    const std::optional<QByteArray> text = readRegularFile(file, &readError, &missing);
    if (!text)
        throw StoreError(missing ? QStringLiteral("missing %1").arg(file) : readError);
    return *text;
}

QJsonObject parseJsonObject(const QByteArray &text, const QString &file)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        throw StoreError(
            QStringLiteral("%1: not valid JSON (%2 at offset %3)").arg(file, error.errorString()).arg(error.offset));
    if (!doc.isObject())
        throw StoreError(QStringLiteral("%1: not a JSON object").arg(file));
    return doc.object();
}

// A JSON integer in [min, max]; max is at most 2^53, since larger numbers are not exact in a double.
int64_t jsonInteger(const QJsonObject &obj, const QString &key, const QString &file, int64_t min,
                    int64_t max = int64_t(1) << 53)
{
    const QJsonValue v = obj.value(key);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != std::floor(d) || d < double(min) || d > double(max)) {
        if (max == int64_t(1) << 53)
            throw StoreError(QStringLiteral("%1: \"%2\" must be an integer >= %3").arg(file, key).arg(min));
        throw StoreError(
            QStringLiteral("%1: \"%2\" must be an integer from %3 to %4").arg(file, key).arg(min).arg(max));
    }
    return int64_t(d);
}

// Chunks and metadata are written into data/ and meta/: neither may lead out of the rootdir.
std::optional<QString> linkedSubdirectory(const QString &root)
{
    for (const QString &sub : {QStringLiteral("data"), QStringLiteral("meta")}) {
        const QString path = root + QLatin1Char('/') + sub;
        if (QFileInfo(path).isSymLink())
            return QStringLiteral("rootdir %1: %2").arg(root, directoryLinkRefusal(path));
    }
    return std::nullopt;
}

} // namespace

BcolzRootdir::BcolzRootdir(const QString &path)
    : m_path(path)
    , m_dataDir(QFile::encodeName(path + QStringLiteral("/data")))
{
}

QString BcolzRootdir::chunkPath(int64_t nchunk) const
{
    return QStringLiteral("%1/data/__%2.blp").arg(m_path).arg(nchunk);
}

void BcolzRootdir::formatChunkPath(char *buf, size_t size, int64_t nchunk) const
{
    const int n = std::snprintf(buf, size, "%s/__%lld.blp", m_dataDir.constData(), (long long)nchunk);
    if (n < 0 || size_t(n) >= size)
        throw StoreError(QStringLiteral("path of %1 is too long").arg(chunkPath(nchunk)));
}

void BcolzRootdir::putHeader(char *dst)
{
    std::memcpy(dst, kMagic, 4);
    dst[4] = char(kFormatVersion);
    dst[5] = dst[6] = dst[7] = 0;
    // nchunks, int64 little-endian: always 1 in bcolz 1.x.
    dst[8] = 1;
    std::memset(dst + 9, 0, 7);
}

QByteArray BcolzRootdir::storageJson(const BcolzMeta &meta)
{
    // Key order and separators of bcolz's carray._write_meta under python 3's json.dumps.
    QByteArray out;
    out += "{\"dtype\": \"" + bcolzDtypeName(meta.dtype).toLatin1() + "\", ";
    out += "\"cparams\": {\"clevel\": " + QByteArray::number(meta.cparams.clevel);
    out += ", \"shuffle\": " + QByteArray::number(meta.cparams.shuffle);
    out += ", \"cname\": \"" + meta.cparams.cname.toLatin1() + '"';
    out += ", \"quantize\": " + QByteArray::number(meta.quantize) + "}, ";
    out += "\"chunklen\": " + QByteArray::number(qint64(meta.chunklen)) + ", ";
    out += "\"expectedlen\": " + QByteArray::number(qint64(meta.expectedlen)) + ", ";
    out += "\"dflt\": " + zeroDefault(meta.dtype) + "}\n";
    return out;
}

QByteArray BcolzRootdir::sizesJson(const Coords &shape, int64_t nbytes, int64_t cbytes)
{
    return "{\"shape\": " + jsonIntList(shape) + ", \"nbytes\": " + QByteArray::number(qint64(nbytes))
        + ", \"cbytes\": " + QByteArray::number(qint64(cbytes)) + "}\n";
}

void BcolzRootdir::writeMetaFile(const QString &relative, const QByteArray &bytes) const
{
    const QString path = m_path + QLatin1Char('/') + relative;
    const QByteArray native = QFile::encodeName(path);
    const ReplaceFailure failure
        = replaceFileContents(native.constData(), size_t(native.size()), bytes.constData(), size_t(bytes.size()));
    if (failure)
        throw StoreError(QStringLiteral("cannot write %1: %2").arg(path, replaceFailureReason(failure)));
}

void BcolzRootdir::create(const BcolzMeta &meta, int64_t cbytes, bool overwrite) const
{
    const QFileInfo info(m_path);
    if (info.exists() || info.isSymLink()) {
        if (!overwrite)
            throw StoreError(QStringLiteral("rootdir %1 already exists (set \"overwrite\": true to replace it or "
                                            "\"fill\": \"existing\" to open it)")
                                 .arg(m_path));
        if (const std::optional<QString> refusal = overwriteRefusal(m_path))
            throw StoreError(*refusal);
        removeArrayFiles();
    }
    QDir root;
    if (!root.mkpath(m_path) || !root.mkpath(m_path + QStringLiteral("/data"))
        || !root.mkpath(m_path + QStringLiteral("/meta")))
        throw StoreError(QStringLiteral("cannot create rootdir %1").arg(m_path));
    writeMetaFile(QStringLiteral("meta/storage"), storageJson(meta));
    writeSizes(meta.shape, meta.nbytes, cbytes);
    writeMetaFile(QStringLiteral("__attrs__"), QByteArrayLiteral("{}\n"));
}

std::optional<QString> BcolzRootdir::overwriteRefusal(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isDir())
        return QStringLiteral("rootdir %1 exists and is not a directory; not removing it").arg(path);
    if (QDir(path).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot))
        return std::nullopt;
    if (std::optional<QString> link = linkedSubdirectory(path))
        return link;
    try {
        BcolzRootdir(path).open();
    } catch (const StoreError &) {
        return QStringLiteral("rootdir %1 exists and is not a bcolz rootdir; not removing it").arg(path);
    }
    return std::nullopt;
}

void BcolzRootdir::removeArrayFiles() const
{
    // Only the files bcolz writes, so that anything else a user keeps in the rootdir survives: chunks,
    // and the temporary files of a chunk write that was interrupted (".__N.blp.PID@HOST.SEQ.partial", and
    // from earlier versions ".__N.blp.PID.SEQ.partial" and ".__N.blp.TAG.tmp").
    static const QRegularExpression chunkFile(QStringLiteral(
        "^(__[0-9]+\\.blp|\\.__[0-9]+\\.blp\\.([0-9]+(@[A-Za-z0-9-]+)?\\.[0-9]+\\.partial|-?[0-9]+\\.tmp))$"));
    const auto remove = [](const QString &file) {
        if (QFileInfo(file).isFile() && !QFile::remove(file))
            throw StoreError(QStringLiteral("cannot remove %1").arg(file));
    };
    const QDir root(m_path);
    const QDir data(root.filePath(QStringLiteral("data")));
    for (const QString &name : data.entryList(QDir::Files | QDir::Hidden | QDir::System))
        if (chunkFile.match(name).hasMatch())
            remove(data.filePath(name));
    // The metadata last, so that a removal cut short leaves a rootdir the next overwrite still
    // recognises and clears.
    remove(root.filePath(QStringLiteral("__attrs__")));
    remove(root.filePath(QStringLiteral("meta/sizes")));
    remove(root.filePath(QStringLiteral("meta/storage")));
    // Fail harmlessly when something else lives inside.
    root.rmdir(QStringLiteral("data"));
    root.rmdir(QStringLiteral("meta"));
}

void BcolzRootdir::prepareForWriting() const
{
    if (std::optional<QString> link = linkedSubdirectory(m_path))
        throw StoreError(*link);
    removeStaleTemporaries(m_path + QStringLiteral("/data"), false);
}

void BcolzRootdir::writeSizes(const Coords &shape, int64_t nbytes, int64_t cbytes) const
{
    writeMetaFile(QStringLiteral("meta/sizes"), sizesJson(shape, nbytes, cbytes));
}

BcolzMeta BcolzRootdir::open() const
{
    const QFileInfo info(m_path);
    if (!info.exists())
        throw StoreError(QStringLiteral("rootdir %1 does not exist").arg(m_path));
    if (!info.isDir())
        throw StoreError(QStringLiteral("rootdir %1 is not a directory").arg(m_path));
    for (const QString &sub : {QStringLiteral("data"), QStringLiteral("meta")})
        if (!QFileInfo(m_path + QLatin1Char('/') + sub).isDir())
            throw StoreError(QStringLiteral("rootdir %1 has no %2 directory").arg(m_path, sub));

    const QString sizesFile = m_path + QStringLiteral("/meta/sizes");
    const QByteArray sizesText = readMetaText(sizesFile);
    const QString storageFile = m_path + QStringLiteral("/meta/storage");
    return parseMeta(readMetaText(storageFile), sizesText, storageFile, sizesFile);
}

BcolzMeta BcolzRootdir::parseMeta(const QByteArray &storageText, const QByteArray &sizesText,
                                  const QString &storageFile, const QString &sizesFile)
{
    BcolzMeta meta;
    const QJsonObject sizes = parseJsonObject(sizesText, sizesFile);
    const QJsonValue shapeValue = sizes.value(QStringLiteral("shape"));
    const QJsonArray shape = shapeValue.toArray();
    if (!shapeValue.isArray() || shape.isEmpty() || shape.size() > kMaxRank)
        throw StoreError(
            QStringLiteral("%1: \"shape\" must be a list of 1 to %2 integers").arg(sizesFile).arg(kMaxRank));
    meta.shape.rank = int(shape.size());
    for (int i = 0; i < meta.shape.rank; ++i) {
        const double d = shape.at(i).toDouble(-1);
        if (!shape.at(i).isDouble() || d != std::floor(d) || d < 0 || d > 9007199254740992.0)
            throw StoreError(QStringLiteral("%1: \"shape\" must be a list of non-negative integers").arg(sizesFile));
        meta.shape[i] = int64_t(d);
    }
    meta.nbytes = jsonInteger(sizes, QStringLiteral("nbytes"), sizesFile, 0);
    meta.cbytes = jsonInteger(sizes, QStringLiteral("cbytes"), sizesFile, 0);

    const QJsonObject storage = parseJsonObject(storageText, storageFile);
    QString error;
    const auto dtype = DType::parse(storage.value(QStringLiteral("dtype")).toString(), &error);
    if (!dtype)
        throw StoreError(QStringLiteral("%1: %2").arg(storageFile, error));
    meta.dtype = *dtype;
    meta.chunklen = jsonInteger(storage, QStringLiteral("chunklen"), storageFile, 1);
    // Only a hint to bcolz's chunk sizing, so anything but an exact integer falls back to the length.
    const double expected = storage.value(QStringLiteral("expectedlen")).toDouble(-1);
    meta.expectedlen = expected >= 0 && expected <= 9007199254740992.0 && expected == std::floor(expected)
        ? int64_t(expected)
        : meta.shape[0];

    const QJsonValue cparamsValue = storage.value(QStringLiteral("cparams"));
    if (!cparamsValue.isObject())
        throw StoreError(QStringLiteral("%1: \"cparams\" must be an object").arg(storageFile));
    const QJsonObject cparams = cparamsValue.toObject();
    meta.cparams.clevel = int(jsonInteger(cparams, QStringLiteral("clevel"), storageFile, 0, 9));
    // bcolz before 0.8 wrote the shuffle flag as a JSON boolean.
    const QJsonValue shuffle = cparams.value(QStringLiteral("shuffle"));
    meta.cparams.shuffle = shuffle.isBool() ? int(shuffle.toBool())
                                            : int(jsonInteger(cparams, QStringLiteral("shuffle"), storageFile, 0, 2));
    const QJsonValue cname = cparams.value(QStringLiteral("cname"));
    if (!cname.isUndefined() && !cname.isString())
        throw StoreError(QStringLiteral("%1: \"cname\" must be a string").arg(storageFile));
    meta.cparams.cname = cname.isString() ? cname.toString() : QStringLiteral("blosclz");
    // Checked here rather than only when a copy starts: storageJson writes the name back as it is.
    if (!BloscCodec::compressorNames().contains(meta.cparams.cname))
        throw StoreError(QStringLiteral("%1: \"cname\" must be one of %2")
                             .arg(storageFile, BloscCodec::compressorNames().join(QStringLiteral(", "))));
    const QJsonValue quantize = cparams.value(QStringLiteral("quantize"));
    meta.quantize = quantize.isDouble() ? quantize.toInt() : 0;
    meta.cparams.typesize = meta.dtype.itemsize();
    return meta;
}

int64_t BcolzRootdir::chunkFileBytes(int64_t nchunk) const
{
    char path[kMaxPath];
    formatChunkPath(path, sizeof path, nchunk);
    struct stat st;
    if (::stat(path, &st) != 0)
        return -1;
    return int64_t(st.st_size);
}

BcolzFrame BcolzRootdir::readChunk(int64_t nchunk, size_t chunkBytes, TaskContext &ctx, Scratch which) const
{
    char path[kMaxPath];
    formatChunkPath(path, sizeof path, nchunk);
    // Non-blocking, so that a FIFO at a chunk's path fails the read instead of waiting for a writer.
    const int fd = ::open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT)
            throw StoreError(QStringLiteral("missing chunk file %1").arg(chunkPath(nchunk)));
        throw StoreError(QStringLiteral("cannot open %1: %2").arg(chunkPath(nchunk), errnoText(err)));
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throw StoreError(QStringLiteral("cannot read %1: %2").arg(chunkPath(nchunk), errnoText(err)));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw StoreError(QStringLiteral("%1 is %2, not a chunk file").arg(chunkPath(nchunk), fileTypeName(st.st_mode)));
    }
    const size_t fileBytes = size_t(st.st_size);
    const size_t maxBytes = kHeaderBytes + chunkBytes + BLOSC_MAX_OVERHEAD;
    if (fileBytes > maxBytes) {
        ::close(fd);
        throw StoreError(QStringLiteral("%1 is %2 bytes, more than the %3 an encoded chunk of %4 bytes can take")
                             .arg(chunkPath(nchunk))
                             .arg(qulonglong(fileBytes))
                             .arg(qulonglong(maxBytes))
                             .arg(qulonglong(chunkBytes)));
    }
    char *buf = ctx.scratch(which, fileBytes);
    size_t done = 0;
    while (done < fileBytes) {
        const ssize_t n = ::read(fd, buf + done, fileBytes - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const int err = n < 0 ? errno : 0;
            ::close(fd);
            if (n == 0)
                break; // shrank under us: the checks below report it as truncated
            throw StoreError(QStringLiteral("cannot read %1: %2").arg(chunkPath(nchunk), errnoText(err)));
        }
        done += size_t(n);
    }
    if (done == fileBytes)
        ::close(fd);

    if (done < kHeaderBytes + kBloscHeaderBytes)
        throw StoreError(QStringLiteral("truncated chunk file %1 (%2 bytes; the bloscpack and blosc headers need %3)")
                             .arg(chunkPath(nchunk))
                             .arg(done)
                             .arg(kHeaderBytes + kBloscHeaderBytes));
    if (std::memcmp(buf, kMagic, 4) != 0)
        throw StoreError(QStringLiteral("%1 is not a bloscpack chunk file (no \"blpk\" magic)").arg(chunkPath(nchunk)));
    const size_t frameBytes = readLe32(buf + kHeaderBytes + 12); // the blosc header's ctbytes
    if (frameBytes < kBloscHeaderBytes || frameBytes > done - kHeaderBytes)
        throw StoreError(
            QStringLiteral("truncated chunk file %1 (its blosc frame announces %2 bytes, the file holds %3 after the "
                           "bloscpack header)")
                .arg(chunkPath(nchunk))
                .arg(frameBytes)
                .arg(done - kHeaderBytes));
    return {buf + kHeaderBytes, frameBytes};
}

void BcolzRootdir::writeChunk(int64_t nchunk, char *file, size_t frameBytes) const
{
    char path[kMaxPath];
    formatChunkPath(path, sizeof path, nchunk);
    putHeader(file);
    // Not synced, as Zarr chunks are not (see DirectoryKeyValue::writeFile): a write error still
    // fails the chunk, and the metadata that makes the rootdir whole is synced.
    const ReplaceFailure failure
        = replaceFileContents(path, std::strlen(path), file, kHeaderBytes + frameBytes, ReplaceOptions{false, false});
    if (failure)
        throw StoreError(QStringLiteral("cannot write %1: %2").arg(chunkPath(nchunk), replaceFailureReason(failure)));
}

} // namespace cs
