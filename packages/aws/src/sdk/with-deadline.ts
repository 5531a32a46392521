/**
 * Settles with `work`, or rejects with `onTimeout()` after `ms` — whichever
 * comes first. The timer never keeps the process alive.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    // The losing side may still reject later; it has nobody to tell.
    work.catch(() => {});
  }
}
