/** Whether the page still hears from its host: `lost` when the event stream broke, `back` when it returned. */
export type HostConnection = 'lost' | 'back';
