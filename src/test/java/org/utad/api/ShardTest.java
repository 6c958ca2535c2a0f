package org.utad.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How users write shards, and that the shards of a split cover every file exactly once, evenly. */
class ShardTest {
    @Test
    void readsTheFormUsersWriteAndRefusesOthersWithTheRightForm() {
        assertEquals(new Shard(3, 8), Shard.parse("3/8"));
        assertEquals(new Shard(1, 2), Shard.parse(" 1 / 2 "));
        assertEquals(Shard.ALL, Shard.parse(""));
        assertEquals(Shard.ALL, Shard.parse(null));
        assertEquals("scores.part-3-of-8.csv", Shard.parse("3/8").tableName());
        assertEquals(BatchDetection.CSV, Shard.parse("1/1").tableName());
        for (String bad : new String[] {"0/3", "4/3", "3", "a/b", "1/0", "99999999999/2"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
            assertTrue(e.getMessage().contains("3/8") || e.getMessage().contains("too large"), e.getMessage());
        }
    }

    @Test
    void theSharesOfASplitCoverEveryFileOnceAndDifferByAtMostOne() {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            files.add(Path.of("img" + i + ".png"));
        }
        for (int n = 1; n <= 13; n++) {
            Set<Path> seen = new HashSet<>();
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (int i = 1; i <= n; i++) {
                List<Path> share = new Shard(i, n).select(files);
                min = Math.min(min, share.size());
                max = Math.max(max, share.size());
                for (Path p : share) {
                    assertTrue(seen.add(p), p + " is in two shares of " + n);
                }
            }
            assertEquals(files.size(), seen.size(), "every file is in a share of " + n);
            assertTrue(max - min <= 1, "shares of " + n + " differ by " + (max - min));
        }
    }
}
