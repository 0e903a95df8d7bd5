// Writes a Zarr v3 array (unsharded: zarrita does not write shards) into a directory with zarrita, from a
// JSON description: {"shape", "chunk_shape", "data_type", "codecs", "fill_value", "separator",
// "values"}, the values in C order (64-bit integers may be strings; floats may be "NaN", "Infinity",
// "-Infinity").
//
//   node write.mjs DIRECTORY DESCRIPTION.json
import { readFileSync } from "node:fs";
import FileSystemStore from "@zarrita/storage/fs";
import * as zarr from "zarrita";

const typed = {
    int8: Int8Array, int16: Int16Array, int32: Int32Array, int64: BigInt64Array,
    uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, uint64: BigUint64Array,
    float32: Float32Array, float64: Float64Array,
};

function item(v, dataType) {
    if (dataType.endsWith("int64")) return BigInt(v);
    if (v === "NaN") return NaN;
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    return v;
}

const [dir, descriptionPath] = process.argv.slice(2);
if (!dir || !descriptionPath) {
    console.error("usage: node write.mjs DIRECTORY DESCRIPTION.json");
    process.exit(2);
}
try {
    const d = JSON.parse(readFileSync(descriptionPath, "utf8"));
    const Typed = typed[d.data_type];
    if (!Typed) throw new Error(`data_type ${d.data_type} is not one this script writes`);
    const array = await zarr.create(zarr.root(new FileSystemStore(dir)), {
        shape: d.shape,
        chunkShape: d.chunk_shape,
        dtype: d.data_type,
        codecs: d.codecs,
        // zarr.json is written with JSON.stringify, which takes no BigInt: a 64-bit fill value goes in as a
        // Number (exact to 2^53).
        fillValue: d.fill_value === undefined || d.fill_value === null ? null : d.data_type.endsWith("int64")
            ? Number(d.fill_value) : item(d.fill_value, d.data_type),
        chunkSeparator: d.separator ?? "/",
        attributes: { writer: "zarrita" },
    });
    const data = Typed.from(d.values, (v) => item(v, d.data_type));
    const stride = d.shape.map((_, i) => d.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    await zarr.set(array, null, { data, shape: d.shape, stride });
} catch (e) {
    console.error(`zarrita could not write ${dir}: ${e.message}`);
    process.exit(1);
}
