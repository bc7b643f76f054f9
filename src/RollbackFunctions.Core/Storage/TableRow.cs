using System.Collections.Concurrent;
using System.Reflection;
using Azure.Data.Tables;

namespace RollbackFunctions.Storage;

/// <summary>
/// How a record is stored as a table row: each primary-constructor parameter is a column named as it, a nested
/// record is flattened under its property's name as prefix (<c>Trigger</c> + <c>Reason</c> = <c>TriggerReason</c>),
/// enums are stored by name, nulls are written as nulls (so a Replace upsert clears what is no longer set). A column
/// that is missing reads as its type's default (null, 0, false, <see cref="DateTimeOffset.MinValue"/>), and a
/// nullable nested record is null when its first column is missing. Build one per store as a static field: the
/// shape of each type is read once, every call after that only gets and sets values.
/// </summary>
/// <param name="keys">The parameters the row's keys stand for: never written as columns; <see cref="Read"/> is given
/// their values, in this order.</param>
/// <param name="names">Columns already stored under another name than the convention gives, by parameter path
/// (<c>"Escalation.At"</c>): rows written before this mapper must still read.</param>
internal sealed class TableRow<T>(string[]? keys = null, IReadOnlyDictionary<string, string>? names = null)
    where T : class
{
    private readonly Layout _layout = Layout.Of(typeof(T), keys ?? [], names ?? new Dictionary<string, string>());

    /// <summary>The names of the columns <see cref="Write"/> sets, in parameter order.</summary>
    public IReadOnlyList<string> Columns => _layout.Columns;

    public TableEntity Write(T value, string partitionKey, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(value);
        var entity = new TableEntity(partitionKey, rowKey);
        _layout.Write(entity, value);
        return entity;
    }

    /// <param name="keyValues">The values of the key parameters, in the order they were named.</param>
    public T Read(TableEntity entity, params ReadOnlySpan<object?> keyValues)
    {
        ArgumentNullException.ThrowIfNull(entity);
        if (keyValues.Length != _layout.KeyCount)
        {
            throw new ArgumentException($"{typeof(T).Name} is keyed by {_layout.KeyCount} values, {keyValues.Length} were given.", nameof(keyValues));
        }

        return (T)_layout.Read(entity, keyValues)!;
    }

    /// <summary>One type's place in a row: its columns, and the nested records under their prefixes.</summary>
    private sealed class Layout
    {
        private readonly RecordShape _shape;
        private readonly Part[] _parts;
        private readonly bool _mayBeMissing;

        private Layout(RecordShape shape, Part[] parts, bool mayBeMissing)
        {
            _shape = shape;
            _parts = parts;
            _mayBeMissing = mayBeMissing;
            Columns = [.. parts.SelectMany(p => p.Nested?.Columns ?? (p.Column is { } column ? [column.Name] : Array.Empty<string>()))];
            KeyCount = parts.Count(p => p.Key >= 0);
        }

        public IReadOnlyList<string> Columns { get; }

        public int KeyCount { get; }

        public static Layout Of(Type type, string[] keys, IReadOnlyDictionary<string, string> names)
        {
            var used = new HashSet<string>(StringComparer.Ordinal);
            var layout = Of(type, nullable: false, prefix: "", path: "", keys, names, used);
            if (keys.Except(used, StringComparer.Ordinal).Concat(names.Keys.Except(used, StringComparer.Ordinal)).FirstOrDefault() is { } unknown)
            {
                throw new ArgumentException($"{type.Name} has no parameter {unknown}.", nameof(names));
            }

            return layout;
        }

        private static Layout Of(Type type, bool nullable, string prefix, string path, string[] keys, IReadOnlyDictionary<string, string> names, HashSet<string> used)
        {
            var shape = RecordShape.Of(type);
            var parts = new Part[shape.Parameters.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                var (name, property, valueType, isNullable) = shape.Parameters[i];
                var at = path + name;
                var key = path.Length == 0 ? Array.IndexOf(keys, name) : -1;
                if (key >= 0 || names.ContainsKey(at))
                {
                    used.Add(at);
                }

                var column = names.TryGetValue(at, out var renamed) ? renamed : prefix + name;
                parts[i] = key >= 0
                    ? new Part(property, null, null, key)
                    : RecordShape.IsRecord(valueType)
                        ? new Part(property, null, Of(valueType, isNullable, column, at + ".", keys, names, used), -1)
                        : new Part(property, new Column(column, valueType, isNullable), null, -1);
            }

            if (nullable && parts is not [{ Column: not null }, ..])
            {
                throw new NotSupportedException($"{type.Name} can be missing only if its first parameter is a column that tells.");
            }

            return new Layout(shape, parts, nullable);
        }

        public void Write(TableEntity entity, object? value)
        {
            foreach (var part in _parts)
            {
                var field = value is null ? null : part.Property.GetValue(value);
                if (part.Nested is { } nested)
                {
                    nested.Write(entity, field);
                }
                else if (part.Column is { } column)
                {
                    entity[column.Name] = column.Stored(field);
                }
            }
        }

        public object? Read(TableEntity entity, ReadOnlySpan<object?> keyValues)
        {
            // A missing nested record left no columns: its first one tells (an escalation's time, say).
            if (_mayBeMissing && _parts[0].Column!.IsMissing(entity))
            {
                return null;
            }

            var arguments = new object?[_parts.Length];
            for (var i = 0; i < _parts.Length; i++)
            {
                var part = _parts[i];
                arguments[i] = part.Key >= 0 ? keyValues[part.Key]
                    : part.Nested is { } nested ? nested.Read(entity, keyValues)
                    : part.Column!.Read(entity);
            }

            return _shape.Constructor.Invoke(arguments);
        }
    }

    /// <param name="Key">The index of the key value it takes, or -1 when it is not a key.</param>
    private sealed record Part(PropertyInfo Property, Column? Column, Layout? Nested, int Key);

    private sealed class Column
    {
        private readonly Func<TableEntity, string, object?> _get;
        private readonly Type? _enum;
        private readonly bool _nullable;
        private readonly object? _missing;

        public Column(string name, Type type, bool nullable)
        {
            Name = name;
            _enum = type.IsEnum ? type : null;
            _nullable = nullable;
            _missing = type.IsValueType && !nullable ? Activator.CreateInstance(type) : null;
            _get = type.IsEnum || type == typeof(string) ? static (e, n) => e.GetString(n)
                : type == typeof(DateTimeOffset) ? static (e, n) => e.GetDateTimeOffset(n)
                : type == typeof(double) ? static (e, n) => e.GetDouble(n)
                : type == typeof(int) ? static (e, n) => e.GetInt32(n)
                : type == typeof(long) ? static (e, n) => e.GetInt64(n)
                : type == typeof(bool) ? static (e, n) => e.GetBoolean(n)
                : throw new NotSupportedException($"Column {name}: {type.Name} has no table type.");
        }

        public string Name { get; }

        public object? Stored(object? value) => _enum is null || value is null ? value : value.ToString();

        public bool IsMissing(TableEntity entity) => !entity.TryGetValue(Name, out var value) || value is null;

        public object? Read(TableEntity entity)
        {
            var value = _get(entity, Name);

            // A missing non-nullable enum fails to parse, as it always has: such a row was not written by us.
            return _enum is null ? value ?? _missing
                : value is null && _nullable ? null
                : Enum.Parse(_enum, (string)value!);
        }
    }
}

/// <summary>A record type's primary constructor and the property behind each of its parameters, read once per type.</summary>
internal sealed record RecordShape(ConstructorInfo Constructor, (string Name, PropertyInfo Property, Type Type, bool Nullable)[] Parameters)
{
    private static readonly ConcurrentDictionary<Type, RecordShape> Shapes = new();

    public static RecordShape Of(Type type) => Shapes.GetOrAdd(type, Read);

    /// <summary>Records are what a row flattens; strings and values are columns.</summary>
    public static bool IsRecord(Type type) => type.IsClass && type != typeof(string) && type.GetMethod("<Clone>$") is not null;

    private static RecordShape Read(Type type)
    {
        // Not thread-safe, and shapes may be read by two threads at once.
        var nullability = new NullabilityInfoContext();
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var parameters = constructor.GetParameters().Select(p =>
        {
            var property = type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                ?? throw new NotSupportedException($"{type.Name}.{p.Name} has no property to store.");
            var underlying = Nullable.GetUnderlyingType(p.ParameterType);
            var nullable = underlying is not null || (!p.ParameterType.IsValueType && nullability.Create(p).ReadState == NullabilityState.Nullable);
            return (property.Name, property, underlying ?? p.ParameterType, nullable);
        }).ToArray();
        return new RecordShape(constructor, parameters);
    }
}
