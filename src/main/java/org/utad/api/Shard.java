package org.utad.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One share of a folder's images, so that n independent processes (the tasks of a cluster array
 * job) can each detect on their own share without talking to each other, and a merge step can
 * join their tables into the one a single run would have written.
 *
 * <p>Shard i of n takes the images at positions i-1, i-1+n, i-1+2n, ... of the folder's files in
 * name order: every image falls in exactly one shard, the shards differ in size by at most one
 * image, and the choice depends only on the file names, so every task computes the same split
 * without coordination (as long as the folder does not change while the array runs).
 *
 * @param index which share, 1-based (1..count), as SLURM's {@code --array=1-n} numbers its tasks
 * @param count how many shares the images are split into
 */
public record Shard(int index, int count) {
    /** The whole folder: one shard of one, writing {@code scores.csv} itself. */
    public static final Shard ALL = new Shard(1, 1);
    /** The names of shard tables: {@code scores.part-<i>-of-<n>.csv}. */
    public static final Pattern PART_NAME = Pattern.compile("scores\\.part-(\\d+)-of-(\\d+)\\.csv");
    /**
     * Appended to a shard table's name while its run is unfinished, so that a task that was killed
     * or failed leaves no table under the final name and the merge sees the shard as missing.
     */
    public static final String PARTIAL_SUFFIX = ".partial";
    private static final Pattern TEXT = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d+)\\s*");

    /**
     * Checks the numbers, so that a shard that could select nothing meaningful is refused early.
     *
     * @param index which share, 1..count
     * @param count how many shares, at least 1
     * @throws IllegalArgumentException if count is below 1 or index is outside 1..count
     */
    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("A shard is i/n with 1 <= i <= n, e.g. 3/8 for the third of eight"
                    + " shares; got " + index + "/" + count + ".");
        }
    }

    /**
     * Reads the {@code i/n} form that users write ({@code --shard 3/8}, macro key {@code shard=3/8}).
     *
     * @param text "i/n", or empty (or null) for the whole folder
     * @return the shard
     * @throws IllegalArgumentException naming the accepted form when the text is not i/n with
     *                                  1 &lt;= i &lt;= n
     */
    public static Shard parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Cannot read the shard '" + text + "': write i/n, e.g. 3/8 for the"
                    + " third of eight shares (a SLURM array task uses $SLURM_ARRAY_TASK_ID/n with --array=1-n).");
        }
        try {
            return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The shard '" + text + "' has a number too large to use.", e);
        }
    }

    /** @return whether this is the whole folder rather than a share of it */
    public boolean isAll() {
        return count == 1;
    }

    /**
     * Picks this shard's files.
     *
     * @param files all files, in the order every shard sees them (name order)
     * @return every count-th file starting at position index-1, in the same order
     */
    public List<Path> select(List<Path> files) {
        List<Path> out = new ArrayList<>();
        for (int i = index - 1; i < files.size(); i += count) {
            out.add(files.get(i));
        }
        return out;
    }

    /**
     * The table this shard writes: the whole folder writes {@link BatchDetection#CSV}, a share
     * writes its own part so that parallel tasks never write the same file.
     *
     * @return {@code scores.csv} or {@code scores.part-<i>-of-<n>.csv}
     */
    public String tableName() {
        return isAll() ? BatchDetection.CSV : String.format(Locale.ROOT, "scores.part-%d-of-%d.csv", index, count);
    }

    /** @return "i/n", as the user writes it */
    @Override
    public String toString() {
        return index + "/" + count;
    }
}
