import type { XmlObject } from '../aws/xml';
import type { Params } from './params';
import type { IamState } from './state';

/** One IAM action: the content of its `<ActionResult>` element, or undefined for actions that return only metadata. */
type Handler = (params: Params, state: IamState) => XmlObject | undefined | Promise<XmlObject | undefined>;

export type Handlers = Readonly<Record<string, Handler>>;
