package dev.m2m100.tools.convert;

import dev.m2m100.tools.convert.TensorRef.StorageRef;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code data.pkl} of a PyTorch zip checkpoint WITHOUT executing anything: a pickle is a
 * program, so only the opcodes a tensor state dict uses are understood, and only these globals may be
 * named: {@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} and the {@code torch.*Storage} classes (the latter only inside
 * a persistent id). Everything else fails with an {@link UnsafePickleException} naming what was asked for.
 */
public final class RestrictedUnpickler {

    private static final String ORDERED_DICT = "collections.OrderedDict";
    private static final String REBUILD_TENSOR = "torch._utils._rebuild_tensor_v2";
    private static final String REBUILD_PARAMETER = "torch._utils._rebuild_parameter";

    /** A global the pickle named (already checked against the allow-list). */
    private record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A pickled tuple (immutable, unlike a list). */
    private record Tuple(List<Object> items) {
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final ByteBuffer in;
    private final String source;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    private RestrictedUnpickler(byte[] pickle, String source) {
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.source = source;
    }

    /**
     * Unpickles a state dict: name → tensor, in the pickle's order.
     *
     * @param source used in error messages (e.g. the checkpoint path)
     */
    public static Map<String, TensorRef> readStateDict(byte[] pickle, String source) throws UnsafePickleException {
        Object root = new RestrictedUnpickler(pickle, source).run();
        if (!(root instanceof Map<?, ?> map)) {
            throw new UnsafePickleException(source + ": the pickle is not a state dict (top level is " + describe(root) + ")");
        }
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new UnsafePickleException(source + ": state dict key " + describe(e.getKey()) + " is not a string");
            }
            if (!(e.getValue() instanceof TensorRef t)) {
                throw new UnsafePickleException(source + ": state dict entry '" + name + "' is not a tensor ("
                        + describe(e.getValue()) + ")");
            }
            out.put(name, t);
        }
        return out;
    }

    private Object run() throws UnsafePickleException {
        while (true) {
            if (!in.hasRemaining()) {
                throw fail("pickle ends without STOP");
            }
            int pos = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> in.get(); // PROTO: any version; unknown opcodes are refused anyway
                case 0x95 -> in.getLong(); // FRAME: a length hint only
                case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<Object>()); // EMPTY_LIST
                case ')' -> push(new Tuple(List.of())); // EMPTY_TUPLE
                case '(' -> push(MARK);
                case 't' -> push(new Tuple(popToMark())); // TUPLE
                case 0x85 -> push(new Tuple(List.of(pop()))); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object b = pop();
                    Object a = pop();
                    push(new Tuple(List.of(a, b)));
                }
                case 0x87 -> { // TUPLE3
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(new Tuple(List.of(a, b, c)));
                }
                case 'X' -> push(string(in.getInt())); // BINUNICODE
                case 0x8c -> push(string(in.get() & 0xff)); // SHORT_BINUNICODE
                case 0x8d -> push(string(in.getLong())); // BINUNICODE8
                case 'J' -> push((long) in.getInt()); // BININT
                case 'K' -> push((long) (in.get() & 0xff)); // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT (big-endian)
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'N' -> push(null); // NONE
                case 'q' -> memo.put(in.get() & 0xff, peek()); // BINPUT
                case 'r' -> memo.put(memoIndex(in.getInt()), peek()); // LONG_BINPUT
                case 0x94 -> memo.put(memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memoGet(in.get() & 0xff)); // BINGET
                case 'j' -> push(memoGet(memoIndex(in.getInt()))); // LONG_BINGET
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    dict(peek(), "SETITEM").put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> kv = popToMark();
                    Map<Object, Object> d = dict(peek(), "SETITEMS");
                    if (kv.size() % 2 != 0) {
                        throw fail("SETITEMS with an odd number of items");
                    }
                    for (int i = 0; i < kv.size(); i += 2) {
                        d.put(kv.get(i), kv.get(i + 1));
                    }
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popToMark();
                    list(peek()).addAll(items);
                }
                case 'c' -> push(global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw fail("STACK_GLOBAL with non-string operands");
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(persistentLoad(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(reduce(callable, args));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    build(peek(), state);
                }
                case '.' -> { // STOP
                    Object result = pop();
                    if (!stack.isEmpty()) {
                        throw fail("STOP with " + stack.size() + " values left on the stack");
                    }
                    return result;
                }
                default -> throw new UnsafePickleException("unsafe pickle in " + source + ": opcode 0x"
                        + Integer.toHexString(op) + (op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "")
                        + " at offset " + pos + " is not allowed in a tensor state dict");
            }
        }
    }

    private Global global(String module, String name) throws UnsafePickleException {
        String q = module + "." + name;
        boolean allowed = q.equals(ORDERED_DICT) || q.equals(REBUILD_TENSOR) || q.equals(REBUILD_PARAMETER)
                || (module.equals("torch") && TorchDtype.ofStorageClass(name) != null);
        if (!allowed) {
            throw new UnsafePickleException("unsafe pickle in " + source + ": global '" + q + "' is not allowed"
                    + " (a state dict only needs collections.OrderedDict, torch._utils._rebuild_tensor_v2,"
                    + " torch._utils._rebuild_parameter and torch.*Storage)");
        }
        return new Global(module, name);
    }

    private Object reduce(Object callable, Object args) throws UnsafePickleException {
        if (!(callable instanceof Global g)) {
            throw new UnsafePickleException("unsafe pickle in " + source + ": REDUCE calls " + describe(callable)
                    + ", which is not an allowed function");
        }
        if (!(args instanceof Tuple t)) {
            throw fail("REDUCE arguments of " + g.qualified() + " are not a tuple");
        }
        List<Object> a = t.items();
        return switch (g.qualified()) {
            case ORDERED_DICT -> {
                if (!a.isEmpty()) {
                    throw fail("collections.OrderedDict called with arguments");
                }
                yield new LinkedHashMap<Object, Object>();
            }
            case REBUILD_TENSOR -> rebuildTensor(a);
            case REBUILD_PARAMETER -> {
                if (a.size() < 1 || !(a.get(0) instanceof TensorRef tensor)) {
                    throw fail("torch._utils._rebuild_parameter without a tensor argument");
                }
                yield tensor;
            }
            default -> throw new UnsafePickleException("unsafe pickle in " + source + ": REDUCE calls '"
                    + g.qualified() + "', which may not be called");
        };
    }

    private TensorRef rebuildTensor(List<Object> a) throws UnsafePickleException {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (a.size() < 4 || !(a.get(0) instanceof StorageRef storage)) {
            throw fail("torch._utils._rebuild_tensor_v2 needs (storage, offset, size, stride, ...), got " + a.size()
                    + " arguments");
        }
        long offset = integer(a.get(1), "storage offset");
        long[] shape = ints(a.get(2), "size");
        long[] stride = ints(a.get(3), "stride");
        if (shape.length != stride.length) {
            throw fail("tensor size " + java.util.Arrays.toString(shape) + " and stride "
                    + java.util.Arrays.toString(stride) + " differ in rank");
        }
        if (a.size() > 5 && a.get(5) instanceof Map<?, ?> hooks && !hooks.isEmpty()) {
            throw fail("tensor with backward hooks");
        }
        return new TensorRef(storage, offset, shape, stride);
    }

    private StorageRef persistentLoad(Object pid) throws UnsafePickleException {
        // ('storage', torch.<Type>Storage, key, location, numel)
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw new UnsafePickleException("unsafe pickle in " + source + ": persistent id " + describe(pid)
                    + " is not a ('storage', type, key, location, numel) record");
        }
        List<Object> p = t.items();
        if (!(p.get(1) instanceof Global g) || !g.module().equals("torch") || TorchDtype.ofStorageClass(g.name()) == null) {
            throw new UnsafePickleException("unsafe pickle in " + source + ": storage type " + describe(p.get(1))
                    + " is not a torch.*Storage class");
        }
        if (!(p.get(2) instanceof String key) || !key.matches("[0-9A-Za-z_]+")) {
            throw fail("storage key " + describe(p.get(2)) + " is not a plain name");
        }
        return new StorageRef(key, TorchDtype.ofStorageClass(g.name()), integer(p.get(4), "storage size"));
    }

    private void build(Object target, Object state) throws UnsafePickleException {
        // OrderedDict state dicts carry a '_metadata' attribute (module versions): not needed, dropped.
        if (!(target instanceof Map<?, ?>)) {
            throw new UnsafePickleException("unsafe pickle in " + source + ": BUILD on " + describe(target)
                    + " is not allowed");
        }
        if (state != null && !(state instanceof Map<?, ?>)) {
            throw fail("BUILD state of a dict is " + describe(state));
        }
    }

    private long integer(Object o, String what) throws UnsafePickleException {
        if (o instanceof Long l) {
            return l;
        }
        throw fail(what + " is " + describe(o) + ", expected an integer");
    }

    private long[] ints(Object o, String what) throws UnsafePickleException {
        if (!(o instanceof Tuple t)) {
            throw fail(what + " is " + describe(o) + ", expected a tuple of integers");
        }
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = integer(t.items().get(i), what);
        }
        return out;
    }

    private Object long1() throws UnsafePickleException {
        int n = in.get() & 0xff;
        byte[] le = bytes(n);
        byte[] be = new byte[Math.max(1, n)];
        for (int i = 0; i < n; i++) {
            be[n - 1 - i] = le[i];
        }
        BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(be);
        if (v.bitLength() > 63) {
            throw fail("integer " + v + " does not fit in 64 bits");
        }
        return v.longValue();
    }

    private String string(long length) throws UnsafePickleException {
        return new String(bytes(length), StandardCharsets.UTF_8);
    }

    private byte[] bytes(long length) throws UnsafePickleException {
        if (length < 0 || length > in.remaining()) {
            throw fail("length " + length + " runs past the end of the pickle");
        }
        byte[] b = new byte[(int) length];
        in.get(b);
        return b;
    }

    private String line() throws UnsafePickleException {
        int start = in.position();
        while (in.hasRemaining()) {
            if (in.get() == '\n') {
                byte[] b = new byte[in.position() - 1 - start];
                in.get(start, b);
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        throw fail("unterminated GLOBAL name");
    }

    private int memoIndex(int raw) throws UnsafePickleException {
        if (raw < 0) {
            throw fail("negative memo index");
        }
        return raw;
    }

    private Object memoGet(int i) throws UnsafePickleException {
        if (!memo.containsKey(i)) {
            throw fail("memo entry " + i + " was never stored");
        }
        return memo.get(i);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, String op) throws UnsafePickleException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail(op + " on " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) throws UnsafePickleException {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw fail("APPEND on " + describe(o));
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object pop() throws UnsafePickleException {
        if (stack.isEmpty()) {
            throw fail("stack underflow");
        }
        Object o = stack.removeLast();
        if (o == MARK) {
            throw fail("unexpected MARK");
        }
        return o;
    }

    private Object peek() throws UnsafePickleException {
        if (stack.isEmpty() || stack.getLast() == MARK) {
            throw fail("stack underflow");
        }
        return stack.getLast();
    }

    private List<Object> popToMark() throws UnsafePickleException {
        int m = stack.lastIndexOf(MARK);
        if (m < 0) {
            throw fail("no MARK on the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private UnsafePickleException fail(String what) {
        return new UnsafePickleException("malformed or unsupported pickle in " + source + " at offset "
                + in.position() + ": " + what);
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return "'" + g.qualified() + "'";
        }
        if (o instanceof Tuple t) {
            return "a tuple of " + t.items().size();
        }
        if (o instanceof Map<?, ?>) {
            return "a dict";
        }
        if (o instanceof List<?>) {
            return "a list";
        }
        if (o instanceof TensorRef) {
            return "a tensor";
        }
        if (o instanceof StorageRef) {
            return "a storage";
        }
        if (o instanceof String s) {
            return "the string '" + s + "'";
        }
        return o.getClass().getSimpleName() + " " + o;
    }
}
