// Reads the Zarr array in a directory, or at an http:// URL (its keys below it, as a bucket's objects are
// read anonymously from an S3 server), with zarrita and prints it as JSON on one line:
// {"shape": [...], "data_type": "...", "values": [...]} with the values in C order. Numbers JSON cannot
// hold exactly are strings: 64-bit integers in decimal, and "NaN", "Infinity", "-Infinity".
//
//   node read.mjs DIRECTORY|URL
import FetchStore from "@zarrita/storage/fetch";
import FileSystemStore from "@zarrita/storage/fs";
import * as zarr from "zarrita";

function jsonValue(v) {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "number" && !Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
    return v;
}

const dir = process.argv[2];
if (!dir) {
    console.error("usage: node read.mjs DIRECTORY|URL");
    process.exit(2);
}
try {
    const store = /^https?:\/\//.test(dir) ? new FetchStore(dir) : new FileSystemStore(dir);
    const array = await zarr.open(zarr.root(store), { kind: "array" });
    const chunk = await zarr.get(array);
    // The result may be laid out in another order than C (a transposed chunk is returned as stored), so
    // each C-order position is looked up through the result's strides.
    const count = chunk.shape.reduce((a, b) => a * b, 1);
    const at = (i) => {
        let offset = 0;
        for (let d = chunk.shape.length - 1; d >= 0; --d) {
            offset += (i % chunk.shape[d]) * chunk.stride[d];
            i = Math.floor(i / chunk.shape[d]);
        }
        return offset;
    };
    const values = Array.from({ length: count }, (_, i) => jsonValue(chunk.data.get ? chunk.data.get(at(i)) : chunk.data[at(i)]));
    process.stdout.write(JSON.stringify({ shape: array.shape, data_type: array.dtype, values }) + "\n");
} catch (e) {
    console.error(`zarrita could not read ${dir}: ${e.message}`);
    process.exit(1);
}
