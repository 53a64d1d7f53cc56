package io.qcowscope.engine.layout;

import io.qcowscope.engine.check.ClaimListener;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects the check's claims into primitive per-cluster arrays (no object per cluster): the first claim's role and owner,
 * every further claim in growable parallel arrays (bounded), an overlap bit where claims must not share.
 */
final class LayoutBuilder implements ClaimListener {
    static final byte UNCLAIMED = -1;
    static final int MAX_EXTRA = 4 << 20;
    static final int MAX_BEYOND = 10_000;

    byte[] roles;
    /** First owner of each cluster, four bytes a cluster where the values allow (issue 13). */
    OwnerArray owners;
    long[] overlap;
    int extraCount;
    long[] extraCluster = new long[1024];
    long[] extraOwner = new long[1024];
    byte[] extraRole = new byte[1024];
    boolean extrasTruncated;
    final List<BeyondEndReference> beyond = new ArrayList<>();
    long beyondCount;
    long overlapClusters;

    /**
     * @param l2Bits    log2 of the L2 entries per table
     * @param l1Entries entries of the active L1 table
     */
    LayoutBuilder(int clusters, int l2Bits, long l1Entries) {
        roles = new byte[clusters];
        Arrays.fill(roles, UNCLAIMED);
        owners = new OwnerArray(clusters, l2Bits, l1Entries);
        overlap = new long[(clusters + 63) >>> 6];
    }

    @Override
    public void claim(long cluster, HostClusterRole role, long owner) {
        int c = (int) cluster;
        if (c >= roles.length) {
            grow(c + 1);
        }
        if (roles[c] == UNCLAIMED) {
            roles[c] = role.code();
            owners.set(c, owner);
            return;
        }
        HostClusterRole first = HostClusterRole.ofCode(roles[c]);
        if (first.conflictsWith(role) && (overlap[c >>> 6] & (1L << c)) == 0) {
            overlap[c >>> 6] |= 1L << c;
            overlapClusters++;
        }
        if (extraCount == MAX_EXTRA) {
            extrasTruncated = true;
            return;
        }
        if (extraCount == extraCluster.length) {
            int n = Math.min(MAX_EXTRA, extraCount * 2);
            extraCluster = Arrays.copyOf(extraCluster, n);
            extraOwner = Arrays.copyOf(extraOwner, n);
            extraRole = Arrays.copyOf(extraRole, n);
        }
        extraCluster[extraCount] = cluster;
        extraOwner[extraCount] = owner;
        extraRole[extraCount] = role.code();
        extraCount++;
    }

    @Override
    public void beyondEnd(long offset, long size, HostClusterRole role, long owner) {
        beyondCount++;
        if (beyond.size() < MAX_BEYOND) {
            beyond.add(new BeyondEndReference(offset, size, role, owner, Owner.describe(role, owner)));
        }
    }

    boolean overlaps(int c) {
        return (overlap[c >>> 6] & (1L << c)) != 0;
    }

    private void grow(int n) {
        int old = roles.length;
        roles = Arrays.copyOf(roles, n);
        Arrays.fill(roles, old, n, UNCLAIMED);
        owners.grow(n);
        overlap = Arrays.copyOf(overlap, (n + 63) >>> 6);
    }

    /** Sorts the further claims by cluster so owners() can binary-search them. */
    void sortExtras() {
        if (extraCount == 0) {
            return;
        }
        // Composite keys (cluster, sequence) sort primitively; clusters < 2^31, sequence < 2^23.
        long[] keys = new long[extraCount];
        for (int i = 0; i < extraCount; i++) {
            keys[i] = (extraCluster[i] << 23) | i;
        }
        Arrays.sort(keys);
        long[] c = new long[extraCount];
        long[] o = new long[extraCount];
        byte[] r = new byte[extraCount];
        for (int i = 0; i < extraCount; i++) {
            int from = (int) (keys[i] & ((1 << 23) - 1));
            c[i] = extraCluster[from];
            o[i] = extraOwner[from];
            r[i] = extraRole[from];
        }
        extraCluster = c;
        extraOwner = o;
        extraRole = r;
    }
}
