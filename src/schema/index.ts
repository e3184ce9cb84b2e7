import { builder } from './builder.js';
import './vocabulary.js';
import './partial-date.js';
import './event-filter.js';
import './actor.js';
import './event.js';
import './place.js';
import './source.js';
import './article.js';
import './reporting.js';
import './search.js';
import './editing-types.js';
import './changes.js';
import './mutations.js';
import './subscription.js';
import './event-counts.js';
import './query.js';

export const schema = builder.toSchema({ sortSchema: true });
