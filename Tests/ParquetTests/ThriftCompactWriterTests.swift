import Testing

@testable import Parquet

/// Golden bytes from parquet.md "Verified bytes" (pyarrow's footer re-encoded byte-for-byte).
@Suite struct ThriftGoldenTests {
    private func schemaElement(_ column: ParquetColumn) -> [UInt8] {
        var w = ThriftCompactWriter()
        column.encodeSchemaElement(to: &w)
        return w.bytes
    }

    @Test func optionalStringSchemaElement() {
        let bytes = schemaElement(ParquetColumn("cc", .byteArray, logical: .string, .optional))
        #expect(bytes == hex("15 0c 25 02 18 02 63 63 25 00 4c 1c 00 00 00"))
    }

    @Test func int8SchemaElement() {
        let bytes = schemaElement(
            ParquetColumn("age", .int32, logical: .integer(bitWidth: 8, signed: true), .optional))
        #expect(bytes == hex("15 02 25 02 18 03 61 67 65 25 1e 4c ac 13 08 11 00 00 00"))
    }

    @Test func timestampSchemaElement() {
        let bytes = schemaElement(
            ParquetColumn("ts", .int64, logical: .timestampMicrosUTC, .optional))
        #expect(bytes == hex("15 04 25 02 18 02 74 73 25 14 4c 8c 11 1c 2c 00 00 00 00 00"))
    }

    @Test func dataPageHeader() {
        let header = DataPageHeader(
            uncompressedPageSize: 9, compressedPageSize: 11, numValues: 4, encoding: .rleDictionary)
        #expect(header.encoded() == hex("15 00 15 12 15 16 2c 15 08 15 10 15 06 15 06 00 00"))
    }

    @Test func columnOrdersForThreeColumns() {
        var w = ThriftCompactWriter()
        FileMetadata.encodeColumnOrders(count: 3, to: &w)
        #expect(w.bytes == hex("79 3c 1c 00 00 1c 00 00 1c 00 00"))
    }

    @Test func requiredDateAndPlainBooleanSchemaElements() {
        // DATE: converted 6, logical union id 6; BOOLEAN: no annotations.
        #expect(
            schemaElement(ParquetColumn("d", .int32, logical: .date, .required))
                == hex("15 02 25 00 18 01 64 25 0c 4c 6c 00 00 00"))
        #expect(
            schemaElement(ParquetColumn("b", .boolean, .required))
                == hex("15 00 25 00 18 01 62 00"))
    }

    @Test func unsignedIntegerConvertedTypes() {
        let expected: [(Int8, Bool, Int32)] = [
            (8, true, 15), (16, true, 16), (32, true, 17), (64, true, 18),
            (8, false, 11), (16, false, 12), (32, false, 13), (64, false, 14),
        ]
        for (width, signed, converted) in expected {
            let logical = ParquetLogicalType.integer(bitWidth: width, signed: signed)
            #expect(logical.convertedType.rawValue == converted)
        }
    }
}

@Suite struct ThriftCompactWriterTests {
    @Test func zigzagVarints() {
        var w = ThriftCompactWriter()
        w.writeI32(0)
        w.writeI32(-1)
        w.writeI32(1)
        w.writeI32(-64)
        w.writeI32(64)
        w.writeI32(Int32.min)
        w.writeI64(Int64.max)
        #expect(
            w.bytes
                == [0x00, 0x01, 0x02, 0x7f, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f]
                + [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])
    }

    @Test func fieldIdJumpOver15UsesLongForm() {
        let bytes = ThriftCompactWriter.encodeStruct { w in
            w.fieldI32(1, 1)
            w.fieldI32(17, 2)  // delta 16: type byte, then zigzag i16 id
            w.fieldBool(18, false)
        }
        #expect(bytes == [0x15, 0x02, 0x05, 0x22, 0x04, 0x12, 0x00])
    }

    @Test func longListHeader() {
        var w = ThriftCompactWriter()
        w.writeListHeader(.i32, count: 14)
        w.writeListHeader(.i32, count: 15)
        w.writeListHeader(.struct, count: 300)
        #expect(w.bytes == [0xe5, 0xf5, 0x0f, 0xfc, 0xac, 0x02])
    }

    @Test func nestedStructsRestartFieldIds() throws {
        let bytes = ThriftCompactWriter.encodeStruct { w in
            w.fieldI32(3, 7)
            w.fieldStruct(4) { inner in inner.fieldI32(1, 1) }
            w.fieldI64(5, -2)
        }
        #expect(bytes == [0x35, 0x0e, 0x1c, 0x15, 0x02, 0x00, 0x16, 0x03, 0x00])
        var decoder = ThriftCompactDecoder(bytes)
        let decoded = try decoder.readStruct()
        #expect(decoded.ids == [3, 4, 5])
        #expect(decoded[4]?.structure?[1]?.i32 == 1)
        #expect(decoded[5]?.i64 == -2)
    }
}
