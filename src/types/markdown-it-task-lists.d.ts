declare module 'markdown-it-task-lists' {
  import type MarkdownIt from 'markdown-it';

  /** Options of markdown-it-task-lists 2.x (its README); the package ships no types. */
  interface TaskListsOptions {
    enabled?: boolean;
    label?: boolean;
    labelAfter?: boolean;
  }
  const taskLists: (md: MarkdownIt, options?: TaskListsOptions) => void;
  export default taskLists;
}
