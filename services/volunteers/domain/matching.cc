#include "services/volunteers/domain/matching.h"
