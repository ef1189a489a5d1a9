/** The CLI's bundle entry: runs cloudctl with the process's arguments. */
import { main } from "./main";

void main();
