using System.Buffers.Binary;
using System.Text;

namespace Mgr.Node.Tests.Telemetry;

/// <summary>A decoded OTLP ExportMetricsServiceRequest (opentelemetry-proto metrics/v1), read by field number with a
/// lenient protobuf reader: the OpenTelemetry .NET serializer pads length varints, which a strict reader rejects.</summary>
internal sealed record OtlpMetricsRequest(IReadOnlyDictionary<string, object> Resource, IReadOnlyList<OtlpMetric> Metrics)
{
    public OtlpMetric Metric(string name) => Metrics.Single(metric => metric.Name == name);

    public static OtlpMetricsRequest Decode(ReadOnlySpan<byte> body)
    {
        var resource = new Dictionary<string, object>();
        var metrics = new List<OtlpMetric>();
        var request = new Reader(body);
        while (request.TryTag(out int field, out int wire))
        {
            if (field != 1) { request.Skip(wire); continue; }
            var resourceMetrics = new Reader(request.Bytes());
            while (resourceMetrics.TryTag(out field, out wire))
            {
                if (field == 1) ReadAttributes(resourceMetrics.Bytes(), 1, resource);
                else if (field == 2) ReadScopeMetrics(resourceMetrics.Bytes(), metrics);
                else resourceMetrics.Skip(wire);
            }
        }
        return new OtlpMetricsRequest(resource, metrics);
    }

    private static void ReadScopeMetrics(ReadOnlySpan<byte> bytes, List<OtlpMetric> metrics)
    {
        string scope = "";
        var reader = new Reader(bytes);
        while (reader.TryTag(out int field, out int wire))
        {
            if (field == 1) scope = ReadScopeName(reader.Bytes());
            else if (field == 2) metrics.Add(ReadMetric(scope, reader.Bytes()));
            else reader.Skip(wire);
        }
    }

    private static string ReadScopeName(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        while (reader.TryTag(out int field, out int wire))
        {
            if (field == 1) return reader.String();
            reader.Skip(wire);
        }
        return "";
    }

    private static OtlpMetric ReadMetric(string scope, ReadOnlySpan<byte> bytes)
    {
        string name = "", unit = "", description = "", kind = "";
        var points = new List<OtlpPoint>();
        var reader = new Reader(bytes);
        while (reader.TryTag(out int field, out int wire))
        {
            switch (field)
            {
                case 1: name = reader.String(); break;
                case 2: description = reader.String(); break;
                case 3: unit = reader.String(); break;
                case 5 or 7 or 9:
                    kind = field switch { 5 => "gauge", 7 => "sum", _ => "histogram" };
                    var data = new Reader(reader.Bytes());
                    while (data.TryTag(out int dataField, out int dataWire))
                    {
                        if (dataField == 1) points.Add(ReadPoint(data.Bytes()));
                        else data.Skip(dataWire);
                    }
                    break;
                default: reader.Skip(wire); break;
            }
        }
        return new OtlpMetric(scope, name, unit, description, kind, points);
    }

    // NumberDataPoint: 7 attributes, 4 as_double (fixed64), 6 as_int (sfixed64); HistogramDataPoint: 9 attributes, 4 count, 5 sum.
    private static OtlpPoint ReadPoint(ReadOnlySpan<byte> bytes)
    {
        var attributes = new Dictionary<string, object>();
        double? value = null;
        var reader = new Reader(bytes);
        while (reader.TryTag(out int field, out int wire))
        {
            if (field is 7 or 9 && wire == 2) ReadAttribute(reader.Bytes(), attributes);
            else if (field == 4 && wire == 1) value = BitConverter.UInt64BitsToDouble(reader.Fixed64());
            else if (field == 6 && wire == 1) value = (long)reader.Fixed64();
            else reader.Skip(wire);
        }
        return new OtlpPoint(attributes, value);
    }

    private static void ReadAttributes(ReadOnlySpan<byte> message, int attributeField, Dictionary<string, object> into)
    {
        var reader = new Reader(message);
        while (reader.TryTag(out int field, out int wire))
        {
            if (field == attributeField) ReadAttribute(reader.Bytes(), into);
            else reader.Skip(wire);
        }
    }

    // KeyValue: 1 key, 2 AnyValue { 1 string, 2 bool, 3 int, 4 double }.
    private static void ReadAttribute(ReadOnlySpan<byte> bytes, Dictionary<string, object> into)
    {
        string key = "";
        object value = "";
        var reader = new Reader(bytes);
        while (reader.TryTag(out int field, out int wire))
        {
            if (field == 1) { key = reader.String(); continue; }
            if (field != 2) { reader.Skip(wire); continue; }
            var any = new Reader(reader.Bytes());
            while (any.TryTag(out int anyField, out int anyWire))
            {
                value = anyField switch
                {
                    1 => any.String(),
                    2 => any.Varint() != 0,
                    3 => (long)any.Varint(),
                    4 => BitConverter.UInt64BitsToDouble(any.Fixed64()),
                    _ => Skipped(ref any, anyWire),
                };
            }
        }
        into[key] = value;
    }

    private static string Skipped(ref Reader reader, int wire)
    {
        reader.Skip(wire);
        return "";
    }

    private ref struct Reader(ReadOnlySpan<byte> input)
    {
        private readonly ReadOnlySpan<byte> _input = input;
        private int _position;

        public bool TryTag(out int field, out int wire)
        {
            field = wire = 0;
            if (_position >= _input.Length) return false;
            ulong tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            return true;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (shift > 63) throw new InvalidDataException("varint too long");
                byte b = _input[_position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
        }

        public ulong Fixed64()
        {
            ulong value = BinaryPrimitives.ReadUInt64LittleEndian(_input[_position..]);
            _position += 8;
            return value;
        }

        public ReadOnlySpan<byte> Bytes()
        {
            int length = checked((int)Varint());
            ReadOnlySpan<byte> value = _input.Slice(_position, length);
            _position += length;
            return value;
        }

        public string String() => Encoding.UTF8.GetString(Bytes());

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: _position += 8; break;
                case 2: Bytes(); break;
                case 5: _position += 4; break;
                default: throw new InvalidDataException($"wire type {wire}");
            }
        }
    }
}
