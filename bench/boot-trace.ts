/**
 * Reads a Chromium trace of frame runs (bench/tti-ab.ts --trace) and gives, for each frame
 * document, the boot's milestones on its renderer's main thread. CPU figures are differences of
 * the thread's own clock (`tts`), so a preempted renderer, which stretches every wall-clock figure
 * on a loaded machine, barely moves them: the way to judge a change of a millisecond or two.
 */
interface TraceEvent {
  name: string;
  pid: number;
  tid: number;
  ts: number;
  tts?: number;
  dur?: number;
  tdur?: number;
  args?: { data?: { url?: string; requestId?: string } };
}

export interface BootRun {
  /** The frame document's URL. */
  url: string;
  /** The entry's evaluation start after the document request (ms): the document, the script, its compile. */
  navToEval: number;
  /** Thread CPU of compiling the entry (or taking it from the code cache) (ms). */
  compileCpu: number;
  /** Thread CPU of the entry's module evaluation (ms). */
  evalCpu: number;
  /** Thread CPU from the start of the entry's evaluation to the catalog `GET` leaving (ms). */
  evalToGetCpu: number;
  /** Wall time of the same (ms). */
  evalToGetWall: number;
  /** The catalog `GET` after the document request (ms). */
  navToGet: number;
  /** Thread CPU from the catalog answer's arrival to the end of the next paint (ms). */
  answerToPaintCpu: number;
  /** Wall time of the same (ms). */
  answerToPaintWall: number;
}

const isDocument = (e: TraceEvent) => e.name === "ResourceSendRequest" && /\/frame\/(floor\.html)?\?org=/.test(e.args?.data?.url ?? "");

/** One entry per frame document in the trace that reached its first paint after the catalog answer, in time order. */
export function bootRuns(events: TraceEvent[]): BootRun[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const documents = sorted.filter(isDocument);
  const runs: BootRun[] = [];
  for (const [i, doc] of documents.entries()) {
    // A renderer can be reused for the next document: stop at the next one on the same process.
    const end = documents.slice(i + 1).find((d) => d.pid === doc.pid)?.ts ?? Infinity;
    const own = sorted.filter((e) => e.pid === doc.pid && e.tid === doc.tid && e.ts > doc.ts && e.ts < end);
    const compile = own.find((e) => (e.name === "v8.compileModule" || e.name === "v8.compile") && e.tdur !== undefined);
    const evaluation = own.find((e) => (e.name === "v8.evaluateModule" || e.name === "EvaluateScript") && e.tdur !== undefined);
    const get = own.find((e) => e.name === "ResourceSendRequest" && /\/api\/v1\/integrations(\?|$)/.test(e.args?.data?.url ?? ""));
    const answer = get && own.find((e) => e.name === "ResourceFinish" && e.args?.data?.requestId === get.args?.data?.requestId);
    const paint = answer && own.find((e) => e.name === "Paint" && e.ts > answer.ts && e.tdur !== undefined);
    if (!evaluation || !get || !answer || !paint || [evaluation, get, answer, paint].some((e) => e.tts === undefined)) continue;
    runs.push({
      url: doc.args!.data!.url!,
      navToEval: (evaluation.ts - doc.ts) / 1000,
      compileCpu: (compile?.tdur ?? 0) / 1000,
      evalCpu: evaluation.tdur! / 1000,
      evalToGetCpu: (get.tts! - evaluation.tts!) / 1000,
      evalToGetWall: (get.ts - evaluation.ts) / 1000,
      navToGet: (get.ts - doc.ts) / 1000,
      answerToPaintCpu: (paint.tts! + paint.tdur! - answer.tts!) / 1000,
      answerToPaintWall: (paint.ts + paint.dur! - answer.ts) / 1000,
    });
  }
  return runs;
}
