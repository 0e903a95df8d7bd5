#pragma once

#include "codecs/codecchain.h"
#include "kv/keyvalue.h"
#include "stores/chunkedstore.h"
#include "stores/zarr/zarrkeyvalue.h"

#include <memory>

namespace cs {

// What a Zarr array of either format is as a store: chunks in a key-value store (kv/), one value per
// chunk key, each encoded by one codec chain. Zarr v2 (ZarrStore) and v3 (ZarrV3Store) differ only in
// their metadata, their chunk keys and how their chain is built.
class ZarrArrayStore : public ChunkedStore {
public:
    ZarrArrayStore(const QString &id, DType dtype, const Coords &shape, const Coords &chunks, QByteArray fillItem,
                   std::unique_ptr<KeyValue> backend, const ZarrChunkKeys &keys, CodecChain chain, QString codecName);
    ~ZarrArrayStore() override;

    QString kind() const override;
    StoreInfo info() const override;
    // A fresh array with a zero fill_value already reads as zeros, so a "zeros" fill writes nothing,
    // as zarr.zeros does.
    bool readsZerosWhenFresh() const override;
    void beginWriting() override;

    // The stored value of a key (".zarray", "zarr.json", "0.1", "c/0/1"); a null QByteArray when there
    // is none.
    QByteArray get(const QString &key) const;
    // Every stored key: metadata first, then chunks.
    QStringList keys() const;
    // The key of a chunk, as zarr names it.
    QString chunkKey(const Coords &chunkCoords) const;

    // A chunk's value is its stored form: the items serialised in the byte order of the chain's bytes
    // step (or the dtype's), then the chain's other steps.
    std::optional<EncodedForm> encodedForm(QString *whyNot) const override;

protected:
    bool loadChunk(int64_t linear, const Coords &chunkCoords, char *dst, TaskContext &ctx) override;
    void storeChunk(int64_t linear, const Coords &chunkCoords, const char *src, TaskContext &ctx) override;
    EncodedChunk readEncoded(int64_t linear, const Coords &chunkCoords, TaskContext &ctx) override;
    void writeEncoded(int64_t linear, const Coords &chunkCoords, const EncodedChunk &chunk, TaskContext &ctx) override;

    KeyValue &kv() const { return *m_kv; }
    const ZarrChunkKeys &chunkKeys() const { return m_keys; }
    const CodecChain &chain() const { return m_chain; }

private:
    std::unique_ptr<KeyValue> m_kv;
    ZarrChunkKeys m_keys;
    CodecChain m_chain;
    QString m_codecName;
    ValueLimit m_chunkLimit;
};

} // namespace cs
