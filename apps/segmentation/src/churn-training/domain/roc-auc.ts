/**
 * The area under the ROC curve: the chance that a random churner scores above a random
 * stayer, ties counting half (the Mann–Whitney U statistic over average ranks). Refuses a
 * set without both classes, where it is undefined.
 */
export function rocAuc(scores: readonly number[], churned: readonly boolean[]): number {
  if (scores.length !== churned.length) throw new Error(`rocAuc needs one label per score (${scores.length} scores, ${churned.length} labels)`);
  const positives = churned.filter(Boolean).length;
  const negatives = churned.length - positives;
  if (positives === 0 || negatives === 0) throw new Error(`AUC needs churners and stayers alike (got ${positives} churned, ${negatives} stayed)`);
  const order = scores.map((score, i) => ({ score, churned: churned[i] })).sort((a, b) => a.score - b.score);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && order[end].score === order[start].score) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) if (order[i].churned) positiveRankSum += averageRank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
