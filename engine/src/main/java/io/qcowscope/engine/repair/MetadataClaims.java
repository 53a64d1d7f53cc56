package io.qcowscope.engine.repair;

import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which metadata structures claim each host cluster, from a check's single pass (spec 4.1, section 8): the map the planner
 * reads aliasing from and the overlap guard checks writes against. Compact: two longs per (cluster, role) claim, sorted once,
 * no object per cluster. Data claims are not kept.
 *
 * <p>Where claims collide, the pointer is the damage, not the structure it hits (issue 15): cluster 0 belongs to the header
 * whatever else points there, and an L2 table that lands on exclusive metadata (header, L1, refcount or snapshot table,
 * bitmaps) is an alias, not an owner. {@link #owners} drops those aliases; {@link #aliases} lists them.
 */
final class MetadataClaims {
    /** Claims kept at most; past this the map is incomplete and the guard refuses every write inside the file. */
    static final int MAX_CLAIMS = 1 << 25;
    private static final int ROLE_BITS = 5;

    /** One structure claiming a cluster. */
    record Claim(long cluster, HostClusterRole role, long owner) {
        String describe() {
            return Owner.describe(role, owner);
        }

        boolean exclusive() {
            return role.group() == HostClusterRole.Group.EXCLUSIVE;
        }
    }

    private long[] keys = new long[64];
    private long[] owners = new long[64];
    private int size;
    private boolean sealed;
    private boolean complete = true;

    void add(long cluster, HostClusterRole role, long owner) {
        if (!role.isMetadata()) {
            return;
        }
        if (size == MAX_CLAIMS) {
            complete = false;
            return;
        }
        if (size == keys.length) {
            int n = (int) Math.min(MAX_CLAIMS, keys.length * 2L);
            keys = Arrays.copyOf(keys, n);
            owners = Arrays.copyOf(owners, n);
        }
        keys[size] = (cluster << ROLE_BITS) | role.ordinal();
        owners[size] = owner;
        size++;
        sealed = false;
    }

    /** False when more claims arrived than the map keeps. */
    boolean complete() {
        return complete;
    }

    /** Every claim on {@code cluster}, one per role (the first owner seen), aliases included. */
    List<Claim> claims(long cluster) {
        seal();
        List<Claim> out = new ArrayList<>(2);
        int i = lowerBound(cluster << ROLE_BITS);
        for (; i < size && keys[i] >>> ROLE_BITS == cluster; i++) {
            out.add(new Claim(cluster, HostClusterRole.values()[(int) (keys[i] & ((1 << ROLE_BITS) - 1))], owners[i]));
        }
        return out;
    }

    /** The structures that own {@code cluster}: its claims without the aliases (class comment). */
    List<Claim> owners(long cluster) {
        List<Claim> all = claims(cluster);
        boolean exclusive = all.stream().anyMatch(Claim::exclusive);
        List<Claim> out = new ArrayList<>(all.size());
        for (Claim c : all) {
            if (cluster == 0 && c.role() != HostClusterRole.HEADER || exclusive && !c.exclusive()) {
                continue;
            }
            out.add(c);
        }
        return out;
    }

    /** True when {@code cluster} holds exclusive metadata (the header, an L1 table, a refcount structure, ...). */
    boolean exclusive(long cluster) {
        return claims(cluster).stream().anyMatch(Claim::exclusive);
    }

    /** True when any metadata, an L2 table included, claims {@code cluster}. */
    boolean metadata(long cluster) {
        seal();
        int i = lowerBound(cluster << ROLE_BITS);
        return i < size && keys[i] >>> ROLE_BITS == cluster;
    }

    private void seal() {
        if (sealed) {
            return;
        }
        // Sort (key, owner) pairs by key, then arrival; equal keys keep the first owner seen. Cluster indexes stay below
        // 2^31 (the check aborts beyond), so key (36 bits) and arrival index (25 bits) pack into one long.
        long[] order = new long[size];
        for (int i = 0; i < size; i++) {
            order[i] = (keys[i] << 26) | i;
        }
        Arrays.sort(order);
        long[] k = new long[Math.max(16, size)];
        long[] o = new long[k.length];
        int n = 0;
        for (int i = 0; i < size; i++) {
            int j = (int) (order[i] & ((1 << 26) - 1));
            if (n > 0 && k[n - 1] == keys[j]) {
                continue;
            }
            k[n] = keys[j];
            o[n] = owners[j];
            n++;
        }
        keys = k;
        owners = o;
        size = n;
        sealed = true;
    }

    private int lowerBound(long key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
